namespace ClusterTwin;

/// <summary>
/// Twin time: every Kubernetes and Helm timer the twin plays (Helm's --timeout, probe periods,
/// termination grace periods) is its real length times <see cref="Scale"/>. One tenth, because the
/// twin does an OM's work about ten times faster than a cluster: a 7→3 shrink takes about 30 s here
/// and 4–8 minutes for real (docs/scaling.md), so a step that is too slow for real is too slow here.
/// Deadlines (a timer that fails something when it passes) go through <see cref="TwinDeadline"/>,
/// which gives back the time the machine left work waiting for a CPU.
/// </summary>
public static class TwinClock
{
    public const double Scale = 0.1;

    public static TimeSpan Of(TimeSpan real) => real * Scale;

    public static TimeSpan OfSeconds(double seconds) => TimeSpan.FromSeconds(seconds * Scale);

    /// <summary>Helm's default --timeout, 5m0s (Helm 3.18 cmd/helm/upgrade.go and install.go, Helm 4.1 pkg/cmd: 300*time.Second).</summary>
    public static readonly TimeSpan HelmDefaultTimeout = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How long a changed ConfigMap takes to reach the files of a running pod's ConfigMap volume, at
    /// most: the kubelet's sync period (syncFrequency, 1m by default) plus its cache's delay (Kubernetes
    /// docs, "ConfigMaps", mounted ConfigMaps are updated automatically). The harsher end is taken.
    /// </summary>
    public static readonly TimeSpan KubeletConfigMapSync = TimeSpan.FromMinutes(1);

    /// <summary>
    /// A Go duration as Helm's --timeout takes it ("5m", "90s", "1m30s", "1h"); null when it is not one.
    /// </summary>
    public static TimeSpan? ParseDuration(string text)
    {
        var match = System.Text.RegularExpressions.Regex.Match(text.Trim(), "^(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?$");
        if (!match.Success || text.Trim().Length == 0) return null;
        int Part(int i) => match.Groups[i].Success ? int.Parse(match.Groups[i].Value, System.Globalization.CultureInfo.InvariantCulture) : 0;
        var span = new TimeSpan(Part(1), Part(2), Part(3));
        return span > TimeSpan.Zero ? span : null;
    }

    /// <summary>The duration back in Helm's form, for real-cluster commands and reports.</summary>
    public static string Format(TimeSpan span) => $"{(int)span.TotalSeconds}s";
}
