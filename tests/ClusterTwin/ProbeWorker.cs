using k8s.Models;

namespace ClusterTwin;

public enum ProbeKind { Startup, Liveness, Readiness }

/// <summary>
/// One probe of one container, as the kubelet's probe worker keeps it (Kubernetes v1.35
/// pkg/kubelet/prober/worker.go doProbe, and the docs "Configure Liveness, Readiness and Startup
/// Probes"): nothing runs before initialDelaySeconds after the container started; liveness and
/// readiness wait until the startup probe has succeeded; then one run every periodSeconds, and the
/// result changes only after failureThreshold failures (default 3) or successThreshold successes
/// (default 1) in a row. Until then the result is the initial one: readiness fails, liveness
/// passes, startup is unknown. A startup or liveness result of failure means "kill the container";
/// the worker then holds until the container is replaced (a new worker). A startup probe that
/// passed is never run again for that container. Pure: the caller runs the probe and keeps the
/// clock; every period is in twin time (<see cref="TwinClock"/>).
/// </summary>
public sealed class ProbeWorker(ProbeKind kind, V1Probe spec, DateTime containerStartedAt)
{
    public ProbeKind Kind => kind;

    public V1Probe Spec => spec;

    /// <summary>The current result: null while unknown (startup before its verdict).</summary>
    public bool? Result { get; private set; } = kind switch { ProbeKind.Readiness => false, ProbeKind.Liveness => true, _ => null };

    /// <summary>A liveness or startup failure was reported: no more runs for this container.</summary>
    public bool OnHold { get; private set; }

    private bool? lastRun;
    private int resultRun;
    private DateTime ranAt = DateTime.MinValue;

    /// <summary>When the probe last ran; DateTime.MinValue before its first run.</summary>
    public DateTime RanAt => ranAt;

    public TimeSpan Period => TwinClock.OfSeconds(spec.PeriodSeconds ?? 10);

    public TimeSpan InitialDelay => TwinClock.OfSeconds(spec.InitialDelaySeconds ?? 0);

    /// <summary>
    /// How long one run may take: timeoutSeconds (default 1) in real seconds, the one timer the twin
    /// does not scale, because a run is a process start or an HTTP round trip, which takes as long
    /// here as on a node (longer on a loaded test machine). Scaled, a 10 s liveness timeout became
    /// 1 s, and a loaded machine had the OMs killed for slow process starts (api-outage, Helm 4).
    /// </summary>
    public TimeSpan Timeout => TimeSpan.FromSeconds(spec.TimeoutSeconds ?? 1);

    private int FailureThreshold => spec.FailureThreshold ?? 3;

    private int SuccessThreshold => spec.SuccessThreshold ?? 1;

    /// <summary>Whether a run is due now; <paramref name="started"/> is whether the container's startup probe has succeeded (true without one).</summary>
    public bool Due(DateTime now, bool started)
    {
        if (OnHold) return false;
        if (kind == ProbeKind.Startup && Result == true) return false;
        if (kind != ProbeKind.Startup && !started) return false;
        if (now - containerStartedAt < InitialDelay) return false;
        return now - ranAt >= Period;
    }

    /// <summary>Takes one run's outcome; returns true when the result changed to a failure that kills the container (startup or liveness).</summary>
    public bool Record(bool passed, DateTime now)
    {
        ranAt = now;
        resultRun = lastRun == passed ? resultRun + 1 : 1;
        lastRun = passed;
        if (passed ? resultRun < SuccessThreshold : resultRun < FailureThreshold) return false;
        Result = passed;
        if (passed || kind == ProbeKind.Readiness) return false;
        OnHold = true;
        return true;
    }

    /// <summary>The workers a container's spec declares, for a container that started at <paramref name="startedAt"/>.</summary>
    public static List<ProbeWorker> For(V1Container container, DateTime startedAt)
    {
        var workers = new List<ProbeWorker>();
        if (container.StartupProbe is { } startup) workers.Add(new ProbeWorker(ProbeKind.Startup, startup, startedAt));
        if (container.LivenessProbe is { } liveness) workers.Add(new ProbeWorker(ProbeKind.Liveness, liveness, startedAt));
        if (container.ReadinessProbe is { } readiness) workers.Add(new ProbeWorker(ProbeKind.Readiness, readiness, startedAt));
        return workers;
    }
}
