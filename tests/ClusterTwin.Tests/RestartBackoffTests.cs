namespace ClusterTwin.Tests;

/// <summary>
/// CrashLoopBackOff as <see cref="RestartBackoff"/> keeps it (Kubernetes v1.35 kuberuntime_manager.go
/// doBackOff with client-go flowcontrol.Backoff, 10 s initial and 300 s maximum from
/// pkg/kubelet/kubelet.go; docs "Pod Lifecycle: Container restarts"), in twin time.
/// </summary>
public sealed class RestartBackoffTests
{
    private static readonly DateTime T0 = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private static TimeSpan Twin(double realSeconds) => TwinClock.OfSeconds(realSeconds);

    [Fact]
    public void The_first_exit_restarts_at_once_then_10_s_doubling_up_to_300_s()
    {
        var backoff = new RestartBackoff();
        var now = T0;
        var delays = new List<TimeSpan>();
        for (var exit = 0; exit < 8; exit++)
        {
            now += Twin(1); // the container ran one second, then exited
            var restartAt = backoff.RestartAt(now);
            delays.Add(restartAt - now);
            backoff.Restarted(now, restartAt);
            now = restartAt;
        }

        delays.Should().Equal(TimeSpan.Zero, Twin(10), Twin(20), Twin(40), Twin(80), Twin(160), Twin(300), Twin(300));
        backoff.Applied.Should().Equal(delays);
    }

    [Fact]
    public void An_exit_more_than_ten_minutes_after_the_last_restart_counts_as_a_first_exit()
    {
        var backoff = new RestartBackoff();
        backoff.Restarted(T0, T0);
        backoff.Restarted(T0 + Twin(5), T0 + Twin(15));

        backoff.RestartAt(T0 + Twin(15 + 599)).Should().Be(T0 + Twin(15 + 599) + Twin(20), "still within ten minutes: 20 s");
        backoff.RestartAt(T0 + Twin(15 + 601)).Should().Be(T0 + Twin(15 + 601), "ran for over ten minutes: at once");
    }
}
