using k8s.Models;

namespace ClusterTwin.Tests;

/// <summary>
/// The kubelet's probe rules as <see cref="ProbeWorker"/> keeps them (Kubernetes v1.35
/// pkg/kubelet/prober/worker.go doProbe; docs "Configure Liveness, Readiness and Startup Probes"),
/// driven with an explicit clock. Periods are in twin time: periodSeconds 10 is one twin second.
/// </summary>
public sealed class ProbeWorkerTests
{
    private static readonly DateTime T0 = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private static DateTime At(double twinSeconds) => T0 + TimeSpan.FromSeconds(twinSeconds);

    [Fact]
    public void Liveness_and_readiness_do_not_run_until_the_startup_probe_has_succeeded()
    {
        var liveness = new ProbeWorker(ProbeKind.Liveness, new V1Probe { PeriodSeconds = 10 }, T0);
        var readiness = new ProbeWorker(ProbeKind.Readiness, new V1Probe { PeriodSeconds = 10 }, T0);

        liveness.Due(At(5), started: false).Should().BeFalse();
        readiness.Due(At(5), started: false).Should().BeFalse();
        liveness.Result.Should().BeTrue("liveness starts out passing");
        readiness.Result.Should().BeFalse("readiness starts out failing");
        liveness.Due(At(5), started: true).Should().BeTrue();
        readiness.Due(At(5), started: true).Should().BeTrue();
    }

    [Fact]
    public void Nothing_runs_before_initialDelaySeconds_and_then_once_per_period_in_twin_time()
    {
        var worker = new ProbeWorker(ProbeKind.Readiness, new V1Probe { InitialDelaySeconds = 20, PeriodSeconds = 10 }, T0);

        worker.Due(At(1.9), started: true).Should().BeFalse("20 s of delay is 2 twin seconds");
        worker.Due(At(2.0), started: true).Should().BeTrue();
        worker.Record(true, At(2.0));
        worker.Due(At(2.9), started: true).Should().BeFalse("the next run is one period (1 twin second) later");
        worker.Due(At(3.0), started: true).Should().BeTrue();
    }

    [Fact]
    public void A_liveness_failure_counts_only_after_failureThreshold_failures_in_a_row_and_then_holds()
    {
        var worker = new ProbeWorker(ProbeKind.Liveness, new V1Probe { FailureThreshold = 3 }, T0);

        worker.Record(false, At(1)).Should().BeFalse();
        worker.Record(false, At(2)).Should().BeFalse();
        worker.Record(true, At(3)).Should().BeFalse("a success in between starts the count again");
        worker.Record(false, At(4)).Should().BeFalse();
        worker.Record(false, At(5)).Should().BeFalse();
        worker.Result.Should().BeTrue();
        worker.Record(false, At(6)).Should().BeTrue("the third failure in a row kills the container");
        worker.Result.Should().BeFalse();
        worker.Due(At(100), started: true).Should().BeFalse("the worker holds until the container is replaced");
    }

    [Fact]
    public void Readiness_needs_successThreshold_successes_and_never_kills()
    {
        var worker = new ProbeWorker(ProbeKind.Readiness, new V1Probe { SuccessThreshold = 2, FailureThreshold = 1 }, T0);

        worker.Record(true, At(1));
        worker.Result.Should().BeFalse("one success of two");
        worker.Record(true, At(2));
        worker.Result.Should().BeTrue();
        worker.Record(false, At(3)).Should().BeFalse("a readiness failure marks the pod unready; it kills nothing");
        worker.Result.Should().BeFalse();
    }

    [Fact]
    public void A_startup_probe_that_passed_runs_no_more_and_one_that_keeps_failing_kills_at_its_threshold()
    {
        var passing = new ProbeWorker(ProbeKind.Startup, new V1Probe { FailureThreshold = 30 }, T0);
        passing.Result.Should().BeNull("unknown until its first verdict");
        passing.Record(true, At(1));
        passing.Result.Should().BeTrue();
        passing.Due(At(50), started: false).Should().BeFalse();

        var failing = new ProbeWorker(ProbeKind.Startup, new V1Probe { FailureThreshold = 2 }, T0);
        failing.Record(false, At(1)).Should().BeFalse();
        failing.Record(false, At(2)).Should().BeTrue();
    }

    [Fact]
    public void The_timeout_is_timeoutSeconds_in_real_seconds_because_a_run_takes_real_time()
    {
        new ProbeWorker(ProbeKind.Liveness, new V1Probe { TimeoutSeconds = 10 }, T0).Timeout.Should().Be(TimeSpan.FromSeconds(10));
        new ProbeWorker(ProbeKind.Liveness, new V1Probe(), T0).Timeout.Should().Be(TimeSpan.FromSeconds(1), "the default is 1 s");
    }

    [Fact]
    public void Workers_follow_the_probes_the_container_declares()
    {
        var container = new V1Container { Name = "c", StartupProbe = new V1Probe(), ReadinessProbe = new V1Probe() };

        ProbeWorker.For(container, T0).Select(w => w.Kind).Should().Equal(ProbeKind.Startup, ProbeKind.Readiness);
    }
}
