namespace OmLifecycle.Lifecycle;

/// <summary>Placeholder while the entrypoint commands are written.</summary>
public sealed class StatusReport(LifecycleContext ctx)
{
    public Task<int> RunAsync(string output, CancellationToken cancellationToken) => throw new NotImplementedException(ctx.Doc.ServiceId);
}
