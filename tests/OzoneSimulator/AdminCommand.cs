using System.Text.Json;

namespace OzoneSimulator;

/// <summary>
/// `ozone admin [--set=k=v]… om roles|getserviceroles|decommission|transfer …`: GetServiceRolesSubcommand,
/// DecommissionOMSubcommand and TransferOmLeaderSubCommand (hadoop-ozone/cli-admin, Ozone 2.0–2.2), answered
/// as the leader's OMAdminProtocolServerSideImpl does. Option names follow the release played (<see cref="OzoneVersion"/>).
/// </summary>
public sealed class AdminCommand(SimState state, OzoneVersion version)
{
    public async Task<int> RunAsync(string[] args)
    {
        args = version.RewriteDeprecated(args, Console.Error);
        var overrides = new List<KeyValuePair<string, string>>();
        var rest = new List<string>();
        foreach (var arg in args)
        {
            if (arg.StartsWith("--set=", StringComparison.Ordinal) && arg[6..].Split('=', 2) is [var k, var v]) overrides.Add(new(k, v));
            else rest.Add(arg);
        }
        var config = SimConfig.FromEnvironment(overrides);
        if (rest is not ["om", var sub, .. var options]) throw Usage("Missing required subcommand. Usage: ozone admin om [roles|decommission|transfer]");
        var opts = Options.Parse([.. options]);
        var svc = opts.Value([.. version.ServiceIdOptions]) ?? config.ServiceId ?? throw Usage("Missing required option: '--service-id'");
        return sub switch
        {
            "roles" or "getserviceroles" => await RolesAsync(config, svc, opts),
            "decommission" => Decommission(config, svc, opts),
            "transfer" => Transfer(svc, opts),
            _ => throw Usage($"Unmatched argument at index 1: '{sub}'"),
        };
    }

    private async Task<int> RolesAsync(SimConfig config, string svc, Options opts)
    {
        if (state.TakeForcedExit("roles", null) is { } forced) throw new SimExit(forced, "Forced failure of roles");
        opts.RejectUnknown("--json", "--table");
        var attempts = int.TryParse(config.Get("ozone.client.failover.max.attempts"), out var a) ? a : 500;
        for (var attempt = 1; ; attempt++)
        {
            var ring = state.Read();
            if (ring.Leader is { } leader && ring.Running.TryGetValue(leader, out var leaderNode))
            {
                // GetServiceRolesSubcommand asks the leader for its service list: itself plus its in-memory
                // peer map (OzoneManager#peerNodesMap, Ozone 2.0-2.2), read from its ozone-site.xml when it
                // started and grown only when an add is applied, i.e. committed
                // (OzoneManagerStateMachine#notifyConfigurationChanged -> OzoneManager#addOMNodeToPeers).
                // Not a staging joiner, not a pending one, not what the leader's file lists today.
                var leaderConf = SimConfig.Load(leaderNode.ConfPath);
                var peers = leaderNode.Peers.Append(leader).Distinct().OrderBy(Election.Ordinal).ToList();
                var rows = peers.Select(p => (Id: p, Role: p == leader ? "LEADER" : "FOLLOWER",
                    Host: SimConfig.Host(leaderConf.Address(svc, p)) ?? ring.Running.GetValueOrDefault(p)?.Host ?? p)).ToList();
                if (opts.Has("--json"))
                    Console.Out.WriteLine(JsonSerializer.Serialize(rows.Select(r => new Dictionary<string, object> { [r.Id] = new { serverRole = r.Role, hostname = r.Host } }), new JsonSerializerOptions { WriteIndented = true }));
                else
                    foreach (var r in rows) Console.Out.WriteLine($"{r.Id} : {r.Role} ({r.Host})");
                return 0;
            }
            if (attempt >= attempts) throw new SimExit(255, $"Failed to get OM service roles: no OM leader found for {svc} after {attempts} attempts.");
            await SimState.Sleep(2);
        }
    }

    private int Decommission(SimConfig config, string svc, Options opts)
    {
        var nodeId = opts.Value([.. version.NodeIdOptions]) ?? throw Usage("Missing required option: '--nodeid'");
        var hostname = opts.Value([.. version.NodeHostOptions]) ?? throw Usage("Missing required option: '--node-host-address'");
        var force = opts.Has("--force");
        opts.RejectUnknown("--force");
        if (state.TakeForcedExit("decommission", nodeId) is { } forced) throw new SimExit(forced, $"Failed to decommission OM {nodeId}");

        var configured = config.Address(svc, nodeId) ?? throw Fail(nodeId, $"OM {nodeId} is not configured in this client's ozone-site.xml.");
        var hostIp = state.Resolve(hostname);
        var configuredIp = state.Resolve(SimConfig.Host(configured)!);
        if (hostIp is null || configuredIp is null) throw Fail(nodeId, $"Could not resolve {(hostIp is null ? hostname : configured)}.");
        if (hostIp != configuredIp) throw Fail(nodeId, $"OM {nodeId}'s address {configured} does not match the given host {hostname}.");

        var ring = state.Read();
        if (!force)
        {
            if (!config.Decommissioned(svc).Contains(nodeId))
                throw Fail(nodeId, $"OM {nodeId} is not in ozone.om.decommissioned.nodes.{svc} of this client's config.");
            // Every ACTIVE node of the CLIENT's own config is asked, running or not
            // (OmUtils.getAllOMHAAddresses(conf, svc, false)); one that does not answer gives a null
            // config after the IPC retries, and the command fails (DecommissionOMSubcommand, 2.0-2.2).
            var down = state.Faults().PeerDown;
            foreach (var peer in config.Nodes(svc).Where(p => p != nodeId))
            {
                if (down.Contains(peer) || !ring.Running.TryGetValue(peer, out var node))
                    throw Fail(nodeId, $"Could not get the configuration of OM {peer} ({config.Address(svc, peer)}).");
                var remote = SimConfig.Load(node.ConfPath);
                if (!remote.Decommissioned(svc).Contains(nodeId) || remote.Address(svc, nodeId) != configured)
                    throw Fail(nodeId, $"OM {peer} does not list {nodeId} as decommissioned in its ozone-site.xml.");
            }
        }

        var (error, fromLeader) = state.Update<(string? Error, bool FromLeader)>(r => (Refusal(r, out var leader), leader));
        if (error is not null) throw fromLeader ? RefusedByLeader(config, svc, nodeId, hostIp, error) : Fail(nodeId, error);
        Console.Out.WriteLine($"Successfully decommissioned OM {nodeId}");
        return 0;

        string? Refusal(Ring r, out bool answeredByLeader)
        {
            answeredByLeader = r.Leader is not null;
            if (r.Leader is null) return "No OM leader: the ring has lost its majority, so the configuration cannot change.";
            // The leader checks its in-memory peer map, not the Ratis configuration: a leader that
            // restarted after the node was listed as decommissioned lacks it (OMAdminProtocolServerSideImpl).
            if (r.Leader == nodeId || !r.Voters.Contains(nodeId) || !(r.Running.TryGetValue(r.Leader, out var l) && l.Peers.Contains(nodeId))) return "OM node not present in the OM peer list.";
            if (r.Voters.Count < 2) return "Cannot remove the last OM of the ring.";
            if (Election.ReconfigurationInProgress(r)) return Election.ReconfigurationInProgressMessage(r, config, svc);
            var alive = r.Voters.Count(r.Running.ContainsKey);
            if (!Election.HasMajority(alive, r.Voters.Count)) return "The ring has no majority to commit the change.";
            if (!Election.HasJointMajority(r, nodeId))
            {
                // Ratis enters the joint configuration and waits there; the client's request times out.
                r.PendingRemoval = nodeId;
                return "ReconfigurationTimeoutException: the new configuration has no live majority to commit the change.";
            }
            r.Voters.Remove(nodeId);
            if (!r.Removed.Contains(nodeId)) r.Removed.Add(nodeId);
            foreach (var node in r.Running.Values) node.Peers.Remove(nodeId);
            return null;
        }
    }

    /// <summary>
    /// The leader answered success=false: DecommissionOMSubcommand prints "Failed to decommission OM x" on
    /// stdout, GenericCli#printError the first line of OMAdminProtocolClientSideImpl#decommission's message
    /// on stderr, whose "Request to decommission" has no space before the node (tests/fixtures/ozone/stderr).
    /// </summary>
    private static SimExit RefusedByLeader(SimConfig config, string svc, string nodeId, string hostIp, string reason)
    {
        Console.Out.WriteLine($"Failed to decommission OM {nodeId}");
        var oms = string.Join(",", config.Nodes(svc).Select(n => $"{n}[{config.Address(svc, n)}]"));
        var rpcPort = config.Address(svc, nodeId)!.Split(':')[1];
        return new SimExit(255, $"Request to decommission{nodeId}[{hostIp}:{rpcPort}], sent to OM(s) [{oms}] failed with error: {reason}");
    }

    private int Transfer(string svc, Options opts)
    {
        var target = opts.Value([.. version.NewLeaderOptions]);
        var random = opts.Has("-r") || opts.Has("--random");
        opts.RejectUnknown("-r", "--random");
        if (target is null && !random) throw Usage("Missing required option: '-n' or '-r'");
        if (state.TakeForcedExit("transfer", target) is { } forced) throw new SimExit(forced, "Failed to transfer leadership.");
        var refuse = state.Faults().RefuseTransfer;
        var error = state.Update(r =>
        {
            if (r.Leader is null) return "No OM leader.";
            var chosen = target ?? r.Voters.Where(v => v != r.Leader && r.Running.ContainsKey(v)).OrderBy(Election.Ordinal).FirstOrDefault();
            if (chosen is null || !r.Voters.Contains(chosen)) return $"Target {chosen} not found in group {r.GroupId}.";
            if (chosen == r.Leader) return null;
            if (refuse || !r.Running.ContainsKey(chosen)) return $"Target {chosen} not in FOLLOWER role.";
            r.Leader = chosen;
            r.Term++;
            r.LeaderChanges++;
            target = chosen;
            return null;
        });
        if (error is not null) throw new SimExit(255, error);
        Console.Out.WriteLine($"Transfer leadership successfully to {target}.");
        return 0;
    }

    private static SimExit Usage(string message) => new(2, message);

    private static SimExit Fail(string nodeId, string reason) => new(255, $"Failed to decommission OM {nodeId}: {reason}");

    /// <summary>picocli-like options: "-x value", "--x value", "--x=value" and flags.</summary>
    private sealed class Options(Dictionary<string, string?> values)
    {
        private readonly HashSet<string> used = [];

        public static Options Parse(string[] args)
        {
            var values = new Dictionary<string, string?>(StringComparer.Ordinal);
            for (var i = 0; i < args.Length; i++)
            {
                var arg = args[i];
                if (!arg.StartsWith('-')) throw new SimExit(2, $"Unmatched argument: '{arg}'");
                if (arg.Contains('=')) { var p = arg.Split('=', 2); values[p[0]] = p[1]; continue; }
                var isFlag = arg is "--json" or "--table" or "--force" or "-r" or "--random";
                values[arg] = isFlag || i + 1 >= args.Length ? null : args[++i];
            }
            return new Options(values);
        }

        public string? Value(params string[] names)
        {
            foreach (var n in names)
            {
                if (values.TryGetValue(n, out var v)) { used.Add(n); return v; }
            }
            return null;
        }

        public bool Has(string name)
        {
            if (!values.ContainsKey(name)) return false;
            used.Add(name);
            return true;
        }

        public void RejectUnknown(params string[] flags)
        {
            foreach (var f in flags) Has(f);
            var unknown = values.Keys.Where(k => !used.Contains(k)).ToList();
            if (unknown.Count > 0) throw new SimExit(2, $"Unknown option: '{unknown[0]}'");
        }
    }
}
