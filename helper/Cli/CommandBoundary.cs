using System.Runtime.InteropServices;
using OmLifecycle.Lifecycle;

namespace OmLifecycle.Cli;

/// <summary>
/// Runs one command: turns SIGTERM/SIGINT into cancellation, and a refusal into one sentence on
/// stderr with its documented exit code (never a stack trace).
/// </summary>
public static class CommandBoundary
{
    /// <param name="refusalEvent">Membership-changing commands also put a refusal on the StatefulSet as a Warning Event.</param>
    public static async Task<int> RunAsync(string? membershipPath, Func<LifecycleContext, CancellationToken, Task<int>> command, CancellationToken outer, bool refusalEvent = false)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(outer);
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Cancel);
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Cancel);
        LifecycleContext? ctx = null;
        try
        {
            ctx = LifecycleContext.Create(ToolEnvironment.FromProcess(membershipPath));
            return await command(ctx, cts.Token);
        }
        catch (LifecycleException e)
        {
            Console.Error.WriteLine($"om-lifecycle: {e.Message}");
            if (refusalEvent && ctx is not null)
                await ctx.Kube.RecordEventAsync(e.Code == ExitCode.Refused ? "OMLifecycleRefused" : "OMLifecycleFailed", e.Message, warning: true, CancellationToken.None);
            return (int)e.Code;
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            Console.Error.WriteLine("om-lifecycle: stopped by a signal before the step finished; run the same command again to resume.");
            return 143;
        }

        void Cancel(PosixSignalContext context)
        {
            context.Cancel = true;
            cts.Cancel();
        }
    }

    /// <summary>For commands that need no membership document (install).</summary>
    public static int Run(Func<int> command)
    {
        try
        {
            return command();
        }
        catch (LifecycleException e)
        {
            Console.Error.WriteLine($"om-lifecycle: {e.Message}");
            return (int)e.Code;
        }
    }
}
