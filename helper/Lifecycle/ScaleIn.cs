namespace OmLifecycle.Lifecycle;

/// <summary>scale-in and decommission: placeholder until the hook commands land (issue 2).</summary>
public sealed class ScaleIn(LifecycleContext ctx)
{
    public Task<int> RunAsync(int? replicas, CancellationToken cancellationToken) => throw new NotImplementedException(ctx.Doc.ServiceId);

    public Task<int> DecommissionOneAsync(string nodeId, CancellationToken cancellationToken) => throw new NotImplementedException(nodeId);
}
