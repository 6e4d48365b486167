namespace ClusterTwin;

/// <summary>
/// The commands the runner's real-cluster mode runs against KUBECONFIG: Helm for the release,
/// kubectl for pods, and om-lifecycle / the real `ozone` CLI through `kubectl exec`. Arguments are
/// arrays, never shell text; the offline tests check exactly what is built here.
/// </summary>
public sealed record RealClusterCommands(string Release, string Namespace, string Chart)
{
    public string OmPod(int ordinal) => $"{OmStatefulSet}-{ordinal}";

    public string OmStatefulSet => Release.Contains("ozone", StringComparison.Ordinal) ? $"{Release}-om" : $"{Release}-ozone-om";

    public IReadOnlyList<string> HelmUpgrade(string valuesFile, IEnumerable<(string Key, string Value)> set)
    {
        var args = new List<string> { "upgrade", "--install", Release, Chart, "--namespace", Namespace, "--create-namespace", "-f", valuesFile, "--wait", "--timeout", "30m" };
        foreach (var (key, value) in set)
        {
            var structured = value.TrimStart().StartsWith('[') || value.TrimStart().StartsWith('{');
            args.Add(structured ? "--set-json" : "--set");
            args.Add($"{key}={value}");
        }
        return args;
    }

    public IReadOnlyList<string> HelmRollback(int revision) =>
        ["rollback", Release, revision.ToString(System.Globalization.CultureInfo.InvariantCulture), "--namespace", Namespace, "--wait", "--timeout", "30m"];

    /// <summary>`om-lifecycle status --output json` in an OM pod: members and leader as the ring reports them.</summary>
    public IReadOnlyList<string> Status(int ordinal) => Exec(OmPod(ordinal), "/opt/om-lifecycle/om-lifecycle", "status", "--output", "json");

    public IReadOnlyList<string> TransferLeader(string to) => Exec(OmPod(0), "/opt/om-lifecycle/om-lifecycle", "transfer-leader", "--to", to);

    public IReadOnlyList<string> DeletePod(string pod) => ["--namespace", Namespace, "delete", "pod", pod, "--wait=false"];

    /// <summary>Restart counts of the OM containers, one "name=count" per line.</summary>
    public IReadOnlyList<string> RestartCounts() =>
        ["--namespace", Namespace, "get", "pods", "-l", $"app.kubernetes.io/instance={Release},app.kubernetes.io/component=om",
         "-o", "jsonpath={range .items[*]}{.metadata.name}={.status.containerStatuses[0].restartCount}{\"\\n\"}{end}"];

    /// <summary>The ring record, where scale-in keeps decommissioned and pending wipes.</summary>
    public IReadOnlyList<string> RingRecord() => ["--namespace", Namespace, "get", "configmap", $"{OmStatefulSet}-ring", "-o", "jsonpath={.data}"];

    /// <summary>The data invariant with the real Ozone CLI: a key written through the OM client of pod 0.</summary>
    public IReadOnlyList<string> PutKey(string key) => Exec(OmPod(0), "ozone", "sh", "key", "put", key, "/etc/hostname");

    public IReadOnlyList<string> CatKey(string key) => Exec(OmPod(0), "ozone", "sh", "key", "cat", key);

    public IReadOnlyList<string> CreateBucket() => Exec(OmPod(0), "ozone", "sh", "bucket", "create", "/twin/bucket");

    public IReadOnlyList<string> CreateVolume() => Exec(OmPod(0), "ozone", "sh", "volume", "create", "/twin");

    private IReadOnlyList<string> Exec(string pod, params string[] command) =>
        ["--namespace", Namespace, "exec", pod, "-c", "om", "--", .. command];
}
