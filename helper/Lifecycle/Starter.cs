namespace OmLifecycle.Lifecycle;

/// <summary>Placeholder while the entrypoint commands are written.</summary>
public sealed class Starter(LifecycleContext ctx)
{
    public Task<int> RunAsync(string[] command, CancellationToken cancellationToken) => throw new NotImplementedException(ctx.Doc.ServiceId);
}
