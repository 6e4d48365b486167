namespace OmLifecycle.Lifecycle;

/// <summary>Placeholder while the entrypoint commands are written.</summary>
public sealed class Prober(LifecycleContext ctx)
{
    public Task<int> RunAsync(string kind, CancellationToken cancellationToken) => throw new NotImplementedException(ctx.Doc.ServiceId);
}
