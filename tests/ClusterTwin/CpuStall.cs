using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace ClusterTwin;

/// <summary>
/// How long runnable work on this machine has waited for a CPU so far, as one running total.
/// From the kernel's pressure stall information where it has it: the "some" line of
/// /proc/pressure/cpu, whose total is in microseconds (Linux Documentation/accounting/psi.rst,
/// since 4.20, CONFIG_PSI). Without it (an older kernel, psi=0), a thread of the twin's own
/// adds up how late its short sleeps wake, which sees only this process's waits.
/// </summary>
public static partial class CpuStall
{
    private const string PressureFile = "/proc/pressure/cpu";
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(10);
    private static readonly Lazy<Func<TimeSpan>> Source = new(Choose);
    private static long lateTicks;

    /// <summary>The stall so far; only differences between two readings mean anything.</summary>
    public static TimeSpan Total() => Source.Value();

    /// <summary>The total of the "some" line of a /proc/pressure/cpu text; null when there is none.</summary>
    public static TimeSpan? ParseSomeTotal(string text)
    {
        var match = SomeTotal().Match(text);
        return match.Success && long.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var micros)
            ? TimeSpan.FromMicroseconds(micros)
            : null;
    }

    private static Func<TimeSpan> Choose()
    {
        if (ReadPressure() is not null) return () => ReadPressure() ?? TimeSpan.Zero;
        var thread = new Thread(MeasureLateWakeUps) { IsBackground = true, Name = "cpu-stall" };
        thread.Start();
        return () => TimeSpan.FromTicks(Interlocked.Read(ref lateTicks));
    }

    private static TimeSpan? ReadPressure()
    {
        try { return ParseSomeTotal(File.ReadAllText(PressureFile)); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException) { return null; }
    }

    private static void MeasureLateWakeUps()
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var before = clock.Elapsed;
            Thread.Sleep(Tick);
            var late = clock.Elapsed - before - Tick;
            if (late > TimeSpan.Zero) Interlocked.Add(ref lateTicks, late.Ticks);
        }
    }

    [GeneratedRegex(@"^some\b.*\btotal=(\d+)\s*$", RegexOptions.Multiline)]
    private static partial Regex SomeTotal();
}
