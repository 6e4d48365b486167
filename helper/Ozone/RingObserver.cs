using OmLifecycle.Membership;

namespace OmLifecycle.Ozone;

/// <summary>Builds a <see cref="RingView"/> by asking each candidate node's Ratis server over HTTP.</summary>
public sealed class RingObserver(MembershipDocument doc, IRatisJmx jmx)
{
    /// <summary>Asks the candidates (and then any voter the leader names that was not asked) in parallel.</summary>
    public async Task<RingView> ObserveAsync(IEnumerable<OmNode> candidates, CancellationToken cancellationToken)
    {
        var probes = new Dictionary<string, NodeProbe>(StringComparer.Ordinal);
        await ProbeAllAsync(candidates, probes, cancellationToken);
        // Every node a claimant names is asked too: its voters decide whether the claim is believed.
        var claimed = probes.Values.Select(p => p.State).OfType<RaftServerState>().Where(s => s.IsLeader)
            .SelectMany(s => s.Followers.Append(s.Id)).Distinct(StringComparer.Ordinal);
        var unasked = claimed.Where(v => !probes.ContainsKey(v) && doc.OrdinalOf(v) is not null).Select(doc.NodeFor).ToList();
        await ProbeAllAsync(unasked, probes, cancellationToken);
        var (leader, problem) = LeaderConfirmation.Confirm(probes.Values);
        if (leader is null) return new RingView(null, [], probes, null, problem);

        var voters = new List<string> { leader.Id };
        voters.AddRange(leader.Followers.Where(f => f != leader.Id).Distinct());
        var ordered = voters.OrderBy(v => doc.OrdinalOf(v) ?? int.MaxValue).ThenBy(v => v, StringComparer.Ordinal).ToList();
        return new RingView(leader.Id, ordered, probes, leader.GroupId);
    }

    /// <summary>Candidates: ordinals 0..upTo-1 (the desired nodes and any that may still be leaving).</summary>
    public IEnumerable<OmNode> Candidates(int upTo) => Enumerable.Range(0, Math.Max(upTo, doc.Replicas)).Select(doc.NodeAt);

    private async Task ProbeAllAsync(IEnumerable<OmNode> nodes, Dictionary<string, NodeProbe> into, CancellationToken cancellationToken)
    {
        var results = await Task.WhenAll(nodes.Select(n => jmx.ProbeAsync(n.Id, n.Host, doc.Ports.Http, cancellationToken)));
        foreach (var probe in results) into[probe.NodeId] = probe;
    }
}
