using System.CommandLine;
using OmLifecycle.Cli;
using OmLifecycle.Lifecycle;

// Program.cs only builds the command tree; each action reads its values and calls one method.
try
{
    var parsed = OmLifecycleCli.Build().Parse(args);
    if (parsed.Errors.Count > 0)
    {
        // Usage errors exit 2 (documented), not System.CommandLine's default 1.
        foreach (var error in parsed.Errors) Console.Error.WriteLine($"om-lifecycle: {UsageMessage(error.Message)}");
        Console.Error.WriteLine("Run 'om-lifecycle --help' (or '<command> --help') for usage.");
        return (int)ExitCode.Usage;
    }
    // Every action ends in CommandBoundary; System.CommandLine's own handler would print a stack trace and exit 1.
    return await parsed.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null, EnableDefaultExceptionHandler = false });
}
catch (Exception e)
{
    return CommandBoundary.Report(e);
}

// A parse error as one safe line that names the expected input, not a .NET type (System.CommandLine says "System.Nullable`1[System.Int32]").
static string UsageMessage(string message) =>
    UntrustedText.Show(System.Text.RegularExpressions.Regex.Replace(message, @"as expected type '[^']*Int32[^']*'", "as a whole number"), 300);

internal static class OmLifecycleCli
{
    private static readonly Option<string?> Membership = new("--membership")
    {
        Description = "Path of the membership document (default: $OM_LIFECYCLE_MEMBERSHIP, else /etc/om-lifecycle/membership.yaml)",
        Recursive = true,
    };

    private static readonly Option<string> InstallTo = new("--to")
    {
        Description = "Directory to copy the om-lifecycle executable into (the init container's shared emptyDir)",
        Required = true,
    };

    private static readonly Argument<string[]> OmCommand = new("command")
    {
        Description = "The OM command to run after '--', e.g. ozone om",
        Arity = ArgumentArity.OneOrMore,
    };

    private static readonly Argument<string> ProbeKind = new("kind")
    {
        Description = "started: the OM process answers; ready: this node is a confirmed member and the ring has a leader",
    };

    private static readonly Option<string?> To = new("--to") { Description = "Node id to move leadership to (default: the lowest ordinal that stays)" };

    private static readonly Option<bool> AwayFromSelf = new("--away-from-self")
    {
        Description = "preStop: only if this pod's OM leads, move leadership to the lowest other ordinal that stays",
    };

    private static readonly Option<bool> IfNodesLeave = new("--if-nodes-leave")
    {
        Description = "pre-upgrade hook: move only when the leader itself is at or above --replicas (leaving); otherwise leadership stays where it is",
    };

    private static readonly Option<int?> Replicas = new("--replicas")
    {
        Description = "Desired number of voting OMs (default: the membership document's replicas)",
    };

    private static readonly Option<string> Node = new("--node") { Description = "Node id, e.g. ozone-om-3", Required = true };

    private static readonly Option<string> Output = new("--output", "-o")
    {
        Description = "table (for people) or json (for scripts)",
        DefaultValueFactory = _ => "table",
    };

    public static RootCommand Build()
    {
        ProbeKind.AcceptOnlyFromAmong("started", "ready");
        Output.AcceptOnlyFromAmong("table", "json");
        var root = new RootCommand("om-lifecycle: keeps an Apache Ozone OM ring's membership right on Kubernetes. Exit codes: 0 done, 1 refused, 2 usage, 3 deadline passed, 4 Ozone failed, 5 Kubernetes API failed, 70 internal error.")
        {
            Membership,
        };
        root.Subcommands.Add(InstallCommand());
        root.Subcommands.Add(StartCommand());
        root.Subcommands.Add(ProbeCommand());
        root.Subcommands.Add(TransferLeaderCommand());
        root.Subcommands.Add(ScaleInCommand());
        root.Subcommands.Add(DecommissionCommand());
        root.Subcommands.Add(WipeCommand());
        root.Subcommands.Add(StatusCommand());
        return root;
    }

    private static Command InstallCommand()
    {
        var command = new Command("install", "Copy this executable into a directory (the OM pod's init container)") { InstallTo };
        command.SetAction(parse => CommandBoundary.Run(() => Installer.Install(parse.GetValue(InstallTo)!)));
        return command;
    }

    private static Command StartCommand()
    {
        var command = new Command("start", "The OM entrypoint: decide init / bootstrap / member, run the OM, confirm, supervise") { OmCommand };
        command.SetAction((parse, ct) => CommandBoundary.RunAsync(parse.GetValue(Membership),
            (ctx, token) => new Starter(ctx).RunAsync(parse.GetValue(OmCommand)!, token), ct));
        return command;
    }

    private static Command ProbeCommand()
    {
        var command = new Command("probe", "Kubernetes probe from the node's own JMX (no JVM start)") { ProbeKind };
        command.SetAction((parse, ct) => CommandBoundary.RunAsync(parse.GetValue(Membership),
            (ctx, token) => new Prober(ctx).RunAsync(parse.GetValue(ProbeKind)!, token), ct));
        return command;
    }

    private static Command TransferLeaderCommand()
    {
        var command = new Command("transfer-leader", "Move OM leadership (default: to the lowest ordinal that stays) and confirm it") { To, AwayFromSelf, IfNodesLeave, Replicas };
        // The three forms pick the target differently; given together, one would be silently ignored.
        command.Validators.Add(result =>
        {
            var given = new[] { (Option)To, AwayFromSelf, IfNodesLeave }.Where(o => result.GetResult(o) is { Implicit: false }).Select(o => o.Name).ToList();
            if (given.Count > 1)
                result.AddError($"transfer-leader takes only one of --to, --away-from-self and --if-nodes-leave, but {string.Join(" and ", given)} were given; drop all but the one you mean.");
        });
        command.SetAction((parse, ct) => CommandBoundary.RunAsync(parse.GetValue(Membership),
            (ctx, token) => new LeaderMover(ctx.WithApiRetries()).RunAsync(parse.GetValue(To), parse.GetValue(AwayFromSelf), parse.GetValue(Replicas), token, parse.GetValue(IfNodesLeave)), ct, refusalEvent: true));
        return command;
    }

    private static Command ScaleInCommand()
    {
        var command = new Command("scale-in", "Pre-upgrade: take leaving OMs out one at a time, highest ordinal first, never losing quorum") { Replicas };
        command.SetAction((parse, ct) => CommandBoundary.RunAsync(parse.GetValue(Membership),
            (ctx, token) => new ScaleIn(ctx.WithApiRetries()).RunAsync(parse.GetValue(Replicas), token), ct, refusalEvent: true));
        return command;
    }

    private static Command DecommissionCommand()
    {
        var command = new Command("decommission", "Take one OM out of the ring (refuses the leader, the last node, and a removal without a live majority)") { Node };
        command.SetAction((parse, ct) => CommandBoundary.RunAsync(parse.GetValue(Membership),
            (ctx, token) => new ScaleIn(ctx.WithApiRetries()).DecommissionOneAsync(parse.GetValue(Node)!, token), ct, refusalEvent: true));
        return command;
    }

    private static Command WipeCommand()
    {
        var command = new Command("wipe", "Post-upgrade: wipe the OM metadata of a node that is no longer a member; safe to rerun") { Node };
        command.SetAction((parse, ct) => CommandBoundary.RunAsync(parse.GetValue(Membership),
            (ctx, token) => new Wiper(ctx.WithApiRetries()).RunAsync(parse.GetValue(Node)!, token), ct, refusalEvent: true));
        return command;
    }

    private static Command StatusCommand()
    {
        var command = new Command("status", "Members, leader, this node's marker and VERSION, and what 'start' would do now and why") { Output };
        command.SetAction((parse, ct) => CommandBoundary.RunAsync(parse.GetValue(Membership),
            (ctx, token) => new StatusReport(ctx).RunAsync(parse.GetValue(Output)!, token), ct));
        return command;
    }
}
