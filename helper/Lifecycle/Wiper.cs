namespace OmLifecycle.Lifecycle;

/// <summary>wipe: placeholder until the hook commands land (issue 2).</summary>
public sealed class Wiper(LifecycleContext ctx)
{
    public Task<int> RunAsync(string nodeId, CancellationToken cancellationToken) => throw new NotImplementedException(ctx.Doc.ServiceId + nodeId);
}
