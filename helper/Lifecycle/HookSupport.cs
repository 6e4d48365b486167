using OmLifecycle.Cli;
using OmLifecycle.Kubernetes;
using OmLifecycle.Membership;
using OmLifecycle.Ozone;

namespace OmLifecycle.Lifecycle;

/// <summary>What the hook commands share: reading the live state, the client config, waiting for a condition.</summary>
public static class HookSupport
{
    /// <summary>The live ring, looking as far up as the StatefulSet and the record say nodes may exist.</summary>
    public static async Task<(RingView View, RingRecord? Record, int? StatefulSetReplicas)> ObserveAsync(LifecycleContext ctx, CancellationToken cancellationToken)
    {
        var record = ctx.Kube.Available ? await ctx.Kube.ReadRingAsync(cancellationToken) : null;
        var sts = ctx.Kube.Available ? await ctx.Kube.GetStatefulSetReplicasAsync(cancellationToken) : null;
        var view = await ctx.ObserveAsync(Math.Max(sts ?? 0, RingRecord.OrdinalsKnown(record, ctx.Doc.OrdinalOf)), cancellationToken);
        return (view, record, sts);
    }

    /// <summary>
    /// No ring has ever existed here: no node answers, the tool never recorded voters, and there is
    /// no OM StatefulSet with pods. Argo CD runs pre-upgrade hooks on a first install; they must pass.
    /// </summary>
    public static bool IsFirstInstall(RingView view, RingRecord? record, int? statefulSetReplicas) =>
        !view.HasLeader && view.Probes.Values.All(p => !p.Reachable)
        && (record is null || record.ActualVoters.Count == 0)
        && statefulSetReplicas is null or 0;

    /// <summary>
    /// The OMs at or above <paramref name="desired"/> that any source knows of: the voters the live
    /// ring shows, the voters the ring record last saw (not those it records as decommissioned), any
    /// OM that answers, and the StatefulSet's pods. Without a leader the ring's own configuration
    /// cannot be read, so "nothing leaves" needs all of them to agree.
    /// </summary>
    public static IReadOnlyList<string> KnownAtOrAbove(LifecycleContext ctx, RingView view, RingRecord? record, int? statefulSetReplicas, int desired)
    {
        var recorded = (record?.ActualVoters ?? []).Except(record?.Decommissioned ?? []);
        var answering = view.Probes.Values.Where(p => p.Reachable).Select(p => p.NodeId);
        var pods = Enumerable.Range(0, statefulSetReplicas ?? 0).Select(o => ctx.Doc.NodeAt(o).Id);
        return view.Voters.Concat(recorded).Concat(answering).Concat(pods)
            .Where(id => ctx.Doc.OrdinalOf(id) is { } o && o >= desired).Distinct()
            .OrderBy(id => ctx.Doc.OrdinalOf(id)).ToList();
    }

    /// <summary>
    /// Gives the Ozone CLI of a hook Job a client config that knows the live ring and the removed
    /// nodes. Inside an OM pod, start owns ozone-site.xml, so it is left as it is.
    /// </summary>
    public static void PrepareClientConfig(LifecycleContext ctx, RingView view, RingRecord? record, IEnumerable<string>? alsoRemoved = null)
    {
        if (ctx.Env.PodName is { } pod && ctx.Doc.OrdinalOf(pod) is not null) return;
        var removed = (record?.Decommissioned ?? []).Concat(alsoRemoved ?? [])
            .Where(id => ctx.Doc.OrdinalOf(id) is not null).Distinct().Select(ctx.Doc.NodeFor).ToList();
        var removedIds = removed.Select(r => r.Id).ToHashSet();
        var ring = ctx.Doc.Nodes.Concat(view.Voters.Where(v => ctx.Doc.OrdinalOf(v) is not null).Select(ctx.Doc.NodeFor))
            .Where(n => !removedIds.Contains(n.Id)).DistinctBy(n => n.Id).ToList();
        ConfigWriter.Write(ctx, ring, removed, selfId: null);
    }

    /// <summary>
    /// The client config of a decommission: only the running voters besides the leaving node, and
    /// the leaving node (with its address) as decommissioned. Ozone asks every active node of the
    /// client's own config for its file, running or not, and a stopped one fails the command
    /// (DecommissionOMSubcommand, Ozone 2.0–2.2). Inside an OM pod start owns ozone-site.xml.
    /// </summary>
    public static void PrepareDecommissionClientConfig(LifecycleContext ctx, RingView view, RingRecord? record, OmNode leaving)
    {
        if (ctx.Env.PodName is { } pod && ctx.Doc.OrdinalOf(pod) is not null) return;
        var removed = ConfigWriter.Decommissioned(ctx.Doc, record, [leaving.Id]);
        var running = view.AliveVoters.Where(v => v != leaving.Id && ctx.Doc.OrdinalOf(v) is not null && removed.All(r => r.Id != v))
            .Select(ctx.Doc.NodeFor).ToList();
        ConfigWriter.Write(ctx, running, removed, selfId: null);
    }

    /// <summary>Polls the live ring until <paramref name="done"/> holds; past the deadline the step is reported, not assumed.</summary>
    public static async Task<RingView> WaitForAsync(LifecycleContext ctx, Func<RingView, bool> done, TimeSpan within, string what, CancellationToken cancellationToken)
    {
        var deadline = ctx.Clock.GetUtcNow() + within;
        while (true)
        {
            var (view, _, _) = await ObserveAsync(ctx, cancellationToken);
            if (done(view)) return view;
            if (ctx.Clock.GetUtcNow() > deadline)
                throw LifecycleException.Deadline($"Waited {within.TotalSeconds:0} s for {what}; the live ring shows leader {view.LeaderId ?? "NONE"}{(view.LeaderProblem is { } why ? $" ({why})" : "")} and voters {string.Join(", ", view.Voters)}. Run the same command again to resume.");
            await ctx.PauseAsync(cancellationToken);
        }
    }

    /// <summary>The lowest-ordinal voter that is alive and stays (below the desired size), except <paramref name="not"/>.</summary>
    public static OmNode? LowestStayingAliveVoter(LifecycleContext ctx, RingView view, int replicas, string? not = null) =>
        view.Voters.Where(v => v != not && view.IsAlive(v) && ctx.Doc.OrdinalOf(v) is { } o && o < replicas)
            .Select(ctx.Doc.NodeFor).OrderBy(n => n.Ordinal).FirstOrDefault();

    public static int CheckReplicas(int replicas)
    {
        if (replicas < 1)
            throw LifecycleException.Refused($"--replicas is {replicas}; an OM ring keeps at least 1 node. Set om.replicas to 1 or more.");
        if (replicas > MembershipLimits.MaxReplicas)
            throw LifecycleException.Refused($"--replicas is {replicas}; at most {MembershipLimits.MaxReplicas} OMs are supported. Pass the desired om.replicas, {MembershipLimits.MaxReplicas} or fewer; nothing was changed.");
        return replicas;
    }
}
