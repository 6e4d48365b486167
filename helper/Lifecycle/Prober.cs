using OmLifecycle.Cli;
using OmLifecycle.Volume;

namespace OmLifecycle.Lifecycle;

/// <summary>
/// `probe started|ready` for Kubernetes. Answers from start's heartbeat and the node's own JMX
/// over HTTP; it never starts a JVM, so it is cheap enough to run every few seconds.
/// </summary>
public sealed class Prober(LifecycleContext ctx)
{
    /// <summary>start refreshes its heartbeat every poll interval; older than this means it is hung or gone.</summary>
    public static readonly TimeSpan HeartbeatMaxAge = TimeSpan.FromSeconds(60);

    public async Task<int> RunAsync(string kind, CancellationToken cancellationToken)
    {
        var self = ctx.Self();
        var state = RunState.Read();
        if (state is null || ctx.Clock.GetUtcNow() - state.UpdatedAt > HeartbeatMaxAge)
            return Fail($"om-lifecycle start has not reported for over {HeartbeatMaxAge.TotalSeconds:0} s (state in {RunState.DirectoryPath}).");

        if (kind == "started")
        {
            // Waiting for its turn or bootstrapping is progress, not a hang: the pod must not be killed for it.
            Console.WriteLine($"started: {state.Phase} ({state.Reason})");
            return (int)ExitCode.Done;
        }

        var marker = BootstrapMarker.Read(ctx.Doc.MetadataDir);
        if (marker?.NodeId != self.Id) return Fail($"{self.Id} is not a confirmed member yet ({state.Phase}: {state.Reason}).");
        var probe = await ctx.Jmx.ProbeAsync(self.Id, self.Host, ctx.Doc.Ports.Http, cancellationToken);
        if (probe.State is not { } raft) return Fail($"{self.Id}'s Ratis server does not answer: {probe.Problem}.");
        if (raft.LeaderId is null) return Fail($"{self.Id} is {raft.Role} but the ring has no leader (term {raft.Term}).");
        Console.WriteLine($"ready: {self.Id} is {raft.Role}, leader {raft.LeaderId}");
        return (int)ExitCode.Done;
    }

    private static int Fail(string why)
    {
        Console.WriteLine($"not ready: {why}");
        return (int)ExitCode.Refused;
    }
}
