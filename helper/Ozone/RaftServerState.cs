namespace OmLifecycle.Ozone;

/// <summary>What one OM's Ratis server says about itself (the RaftServer JMX bean).</summary>
public sealed record RaftServerState(string Id, string? LeaderId, long Term, string GroupId, string Role, IReadOnlyList<string> Followers)
{
    public bool IsLeader => Role.Equals("LEADER", StringComparison.OrdinalIgnoreCase);
}

/// <summary>The outcome of asking one node: its state, or why it could not say.</summary>
public sealed record NodeProbe(string NodeId, RaftServerState? State, string? Problem)
{
    public bool Reachable => State is not null;
}
