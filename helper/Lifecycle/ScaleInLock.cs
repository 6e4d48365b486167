using OmLifecycle.Cli;

namespace OmLifecycle.Lifecycle;

/// <summary>
/// One ring change at a time. Helm stops waiting for a hook Job after --timeout while the Job runs
/// on, and a rerun's before-hook-creation deletes the old Job in the background, so an old and a
/// new scale-in can overlap. The holder's pod name is kept in the ring record and taken with a
/// resourceVersion-checked update; a lock whose holder pod is gone (or finished) is taken over,
/// one whose holder may still run is waited for, up to timeouts.waitForTurn.
/// </summary>
public sealed class ScaleInLock(LifecycleContext ctx)
{
    private string? held;

    /// <summary>Takes the lock for this pod, waiting while another pod that may still run holds it.</summary>
    public async Task AcquireAsync(CancellationToken cancellationToken)
    {
        // A pod's host name is its pod name, so outside the chart's env the machine name still names the pod.
        var me = ctx.Env.PodName ?? Environment.MachineName;
        var deadline = ctx.Clock.GetUtcNow() + ctx.Doc.Timeouts.WaitForTurn;
        string? announced = null;
        while (true)
        {
            var holder = (await ctx.Kube.ReadRingAsync(cancellationToken))?.ScaleInHolder;
            // Only a holder seen gone may be replaced; the update below fails if anyone else took it since.
            var replaceable = holder is null || holder == me || !await ctx.Kube.PodMayRunAsync(holder, cancellationToken) ? holder : null;
            if (holder is null || replaceable is not null)
            {
                var taken = false;
                await ctx.Kube.UpdateRingAsync(r =>
                {
                    taken = r.ScaleInHolder is null || r.ScaleInHolder == me || r.ScaleInHolder == replaceable;
                    return taken ? r with { ScaleInHolder = me } : r;
                }, cancellationToken);
                if (taken)
                {
                    held = me;
                    if (holder is not null && holder != me)
                        ctx.Log.Warn("scale-in.lock", $"took over the scale-in lock of {holder}, whose pod is gone or finished", ("holder", holder));
                    return;
                }
                continue;
            }
            if (announced != holder)
            {
                Console.WriteLine($"Another scale-in is running in pod {holder}; waiting for it to finish (at most timeouts.waitForTurn, {ctx.Doc.Timeouts.WaitForTurn.TotalSeconds:0} s).");
                ctx.Log.Info("scale-in.lock", $"waiting for the scale-in lock held by {holder}", ("holder", holder));
                announced = holder;
            }
            if (ctx.Clock.GetUtcNow() > deadline)
                throw LifecycleException.Deadline($"Another scale-in, in pod {holder}, still holds the ring's scale-in lock after timeouts.waitForTurn ({ctx.Doc.Timeouts.WaitForTurn.TotalSeconds:0} s). Two removals at once could lose quorum, so nothing was changed. Wait for that pod to finish (kubectl get pod {holder}), then run the upgrade again.");
            await ctx.PauseAsync(cancellationToken);
        }
    }

    /// <summary>Gives the lock back if this pod still holds it; best effort (a holder that is gone is taken over anyway).</summary>
    public async Task ReleaseAsync()
    {
        if (held is not { } me) return;
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await ctx.Kube.UpdateRingAsync(r => r.ScaleInHolder == me ? r with { ScaleInHolder = null } : r, timeout.Token);
            held = null;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            ctx.Log.Warn("scale-in.lock", $"could not release the scale-in lock ({e.GetType().Name}); the next scale-in takes it over once this pod is gone", ("holder", me));
        }
    }
}
