namespace OmLifecycle.Lifecycle;

/// <summary>transfer-leader: placeholder until the hook commands land (issue 2).</summary>
public sealed class LeaderMover(LifecycleContext ctx)
{
    public Task<int> RunAsync(string? to, bool awayFromSelf, int? replicas, CancellationToken cancellationToken) =>
        throw new NotImplementedException(ctx.Doc.ServiceId);
}
