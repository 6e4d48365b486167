namespace OmLifecycle.Ozone;

/// <summary>One line of `ozone admin om roles --json`: the leader's view of a peer.</summary>
public sealed record OmRole(string NodeId, string Role, string Host);

/// <summary>The Ozone admin CLI calls om-lifecycle makes; every one is confirmed by its exit status.</summary>
public interface IOzoneAdmin
{
    /// <summary>The leader's peer map, or null when no leader answered (the reason is logged).</summary>
    Task<IReadOnlyList<OmRole>?> RolesAsync(string why, CancellationToken cancellationToken);

    Task<OzoneOutcome> DecommissionAsync(string nodeId, string host, string why, CancellationToken cancellationToken);

    Task<OzoneOutcome> TransferLeaderAsync(string targetNodeId, string why, CancellationToken cancellationToken);
}

/// <summary>Exit status, Ozone's first relevant stderr line and what it means; success is exit 0 and nothing else.</summary>
public sealed record OzoneOutcome(int ExitCode, string Reason, OzoneFailureKind Failure = OzoneFailureKind.Unknown)
{
    public bool Succeeded => ExitCode == 0;
}
