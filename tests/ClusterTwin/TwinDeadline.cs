using System.Diagnostics;

namespace ClusterTwin;

/// <summary>
/// A deadline in twin time: Helm's --timeout for a hook or for --wait, a Job's
/// activeDeadlineSeconds, a pod's termination grace period. It passes after the scaled span plus
/// the CPU stall the machine had meanwhile (<see cref="CpuStall"/>), and at the latest after
/// <see cref="MaxStretch"/> times the span. Why: a cluster gives each pod its own CPUs, while the
/// twin plays every pod, Helm and the simulator on the test machine's two cores; when they queue
/// for a CPU the work takes longer than the scaled timers allow, and a rolling restart that fits
/// Helm's 5 minutes by a wide margin on a quiet machine timed out on a loaded one. The cap keeps a
/// real hang (a stalled bootstrap) failing while another scenario keeps the machine busy.
/// </summary>
public static class TwinDeadline
{
    public const double MaxStretch = 3;

    /// <summary>What is left of <paramref name="span"/> after <paramref name="elapsed"/>, with <paramref name="stall"/> of CPU stall since it began.</summary>
    public static TimeSpan Remaining(TimeSpan span, TimeSpan elapsed, TimeSpan stall)
    {
        var stretched = span + (stall > TimeSpan.Zero ? stall : TimeSpan.Zero);
        var cap = span * MaxStretch;
        return (stretched < cap ? stretched : cap) - elapsed;
    }

    /// <summary>Completes when a deadline of <paramref name="span"/> (twin time) starting now has passed; cancelled with <paramref name="cancel"/>.</summary>
    public static async Task PassAsync(TimeSpan span, CancellationToken cancel = default)
    {
        var clock = Stopwatch.StartNew();
        var stallAtStart = CpuStall.Total();
        while (Remaining(span, clock.Elapsed, CpuStall.Total() - stallAtStart) is var left && left > TimeSpan.Zero)
            await Task.Delay(left, cancel);
    }

    /// <summary>A token that is cancelled when a deadline of <paramref name="span"/> (twin time) starting now has passed.</summary>
    public static Handle Start(TimeSpan span) => new(span);

    public sealed class Handle : IDisposable
    {
        private readonly CancellationTokenSource passed = new();
        private readonly CancellationTokenSource disposed = new();

        internal Handle(TimeSpan span) => Passed = CancelWhenPassedAsync(span);

        /// <summary>Cancelled when the deadline passes.</summary>
        public CancellationToken Token => passed.Token;

        /// <summary>Completes when the deadline passes (or the handle is disposed first).</summary>
        public Task Passed { get; }

        private async Task CancelWhenPassedAsync(TimeSpan span)
        {
            try { await PassAsync(span, disposed.Token); }
            catch (OperationCanceledException) { return; }
            passed.Cancel();
        }

        // Neither source has a timer to free; cancelling `disposed` ends the wait, and `passed` is
        // left undisposed so a wait that ends at the same moment can still cancel it.
        public void Dispose() => disposed.Cancel();
    }
}
