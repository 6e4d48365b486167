namespace OmLifecycle.Lifecycle;

/// <summary>
/// When to call the Kubernetes API again after failures: exponential from twice the poll interval,
/// capped at 30 s, with ±20 % jitter so that the OMs of a ring do not retry in step. Pure: the
/// caller keeps the count and the clock.
/// </summary>
public sealed record ApiBackoff(TimeSpan PollInterval)
{
    public static readonly TimeSpan Cap = TimeSpan.FromSeconds(30);

    /// <summary>The wait after the <paramref name="failures"/>-th failure in a row (1 or more), for a jitter draw in [0, 1).</summary>
    public TimeSpan Delay(int failures, double jitter)
    {
        var exponent = Math.Min(Math.Max(failures, 1), 16);
        var baseDelay = Math.Min(PollInterval.TotalMilliseconds * Math.Pow(2, exponent), Cap.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(baseDelay * (0.8 + 0.4 * jitter));
    }
}
