namespace OmLifecycle.Ozone;

/// <summary>
/// The live ring as the leader's Ratis server reports it: the voters are the leader plus its
/// Followers (not `roles`, which also lists configured nodes that never joined). Only a leader a
/// majority confirms (<see cref="LeaderConfirmation"/>) is named; <see cref="LeaderProblem"/> says why
/// a node that claims to lead was not believed.
/// </summary>
public sealed record RingView(string? LeaderId, IReadOnlyList<string> Voters, IReadOnlyDictionary<string, NodeProbe> Probes, string? GroupId, string? LeaderProblem = null)
{
    public static RingView Empty { get; } = new(null, [], new Dictionary<string, NodeProbe>(), null);

    public bool HasLeader => LeaderId is not null;

    public bool IsVoter(string nodeId) => Voters.Contains(nodeId);

    /// <summary>A node is alive when its own Ratis server answers and says it is in the ring's group.</summary>
    public bool IsAlive(string nodeId) =>
        Probes.TryGetValue(nodeId, out var p) && p.State is { } s && (GroupId is null || s.GroupId == GroupId);

    public IReadOnlyList<string> AliveVoters => Voters.Where(IsAlive).ToList();

    /// <summary>The leader's Raft term: it grows by one with every election and every leader transfer.</summary>
    public long? LeaderTerm => LeaderId is not null && Probes.TryGetValue(LeaderId, out var p) ? p.State?.Term : null;

    /// <summary>Ratis commits a configuration change only with a majority of the current voters.</summary>
    public static bool IsMajority(int alive, int voters) => alive * 2 > voters;
}
