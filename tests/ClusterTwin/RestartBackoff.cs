namespace ClusterTwin;

/// <summary>
/// CrashLoopBackOff for one container of one pod (Kubernetes v1.35 pkg/kubelet/kuberuntime/
/// kuberuntime_manager.go doBackOff, with client-go util/flowcontrol/backoff.go and the kubelet's
/// backOffPeriod 10 s and MaxContainerBackOff 300 s in pkg/kubelet/kubelet.go; docs "Pod Lifecycle:
/// Container restarts"): the first exit restarts at once; each later exit waits the current
/// backoff (10 s, then 20 s, 40 s, … up to 300 s) after the container finished. An exit more than
/// twice the maximum (10 minutes) after the last restart counts as a first exit again. Pure, in
/// twin time; a new pod has a new one (the key holds the pod's UID).
/// </summary>
public sealed class RestartBackoff
{
    public static readonly TimeSpan Initial = TwinClock.OfSeconds(10);

    public static readonly TimeSpan Max = TwinClock.OfSeconds(300);

    private TimeSpan? backoff;
    private DateTime lastUpdate;

    /// <summary>The delays between exit and restart applied so far, in order (what `kubectl describe` shows as back-off events).</summary>
    public List<TimeSpan> Applied { get; } = [];

    private bool Fresh(DateTime exitedAt) => backoff is null || exitedAt - lastUpdate > Max * 2;

    /// <summary>When a container that exited at <paramref name="exitedAt"/> may start again.</summary>
    public DateTime RestartAt(DateTime exitedAt) => Fresh(exitedAt) ? exitedAt : exitedAt + backoff!.Value;

    /// <summary>The kubelet restarts the container at <paramref name="now"/>: the next backoff doubles (flowcontrol Next).</summary>
    public void Restarted(DateTime exitedAt, DateTime now)
    {
        Applied.Add(RestartAt(exitedAt) - exitedAt);
        backoff = Fresh(exitedAt) ? Initial : TimeSpan.FromTicks(Math.Min(backoff!.Value.Ticks * 2, Max.Ticks));
        lastUpdate = now;
    }
}
