namespace ClusterTwin;

/// <summary>What one step did, as the demo table and the JSON report show it.</summary>
public sealed record StepReport(
    int Index, string Name, string Helm, bool Passed, IReadOnlyList<string> Failures,
    IReadOnlyList<string> Members, string? Leader, IReadOnlyList<string> Bootstrapped, IReadOnlyList<string> Decommissioned,
    IReadOnlyList<string> Wiped, int OmRestarts, int LeaderChanges, int OzoneCalls, double Seconds, int QuorumSamples, bool ReleaseFailed);
