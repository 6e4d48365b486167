namespace OmLifecycle.Ozone;

/// <summary>What one OM's Ratis server says about itself (the RaftServer JMX bean).</summary>
/// <remarks>
/// Ratis pads the role to nine characters (`RoleInfo.toString()` is `String.format("%9s", role)`):
/// a real leader answers "   LEADER". <see cref="Role"/> holds it trimmed.
/// </remarks>
public sealed record RaftServerState(string Id, string? LeaderId, long Term, string GroupId, string Role, IReadOnlyList<string> Followers)
{
    public bool IsLeader => Role.Trim().Equals("LEADER", StringComparison.OrdinalIgnoreCase);
}

/// <summary>The outcome of asking one node: its state, or why it could not say.</summary>
public sealed record NodeProbe(string NodeId, RaftServerState? State, string? Problem)
{
    public bool Reachable => State is not null;
}
