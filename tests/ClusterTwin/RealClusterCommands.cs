namespace ClusterTwin;

/// <summary>
/// The commands the runner's real-cluster mode runs against KUBECONFIG: Helm for the release,
/// kubectl for pods, and om-lifecycle / the real `ozone` CLI through `kubectl exec`. Arguments are
/// arrays, never shell text; the offline tests check exactly what is built here.
/// </summary>
public sealed record RealClusterCommands(string Release, string Namespace, string Chart)
{
    public string OmPod(int ordinal) => $"{OmStatefulSet}-{ordinal}";

    /// <summary>The chart's ozone.fullname: the release name when it contains "ozone", else release-ozone.</summary>
    public string Fullname => Release.Contains("ozone", StringComparison.Ordinal) ? Release : $"{Release}-ozone";

    public string OmStatefulSet => $"{Fullname}-om";

    /// <summary>
    /// helm upgrade --install; without <paramref name="wait"/> (a step's `wait: false`) post hooks run
    /// right after the apply. The step's `timeout:` (Helm's default 5m when not given) and `atomic:`
    /// mean on the cluster what they mean in the twin.
    /// </summary>
    public IReadOnlyList<string> HelmUpgrade(string valuesFile, IEnumerable<(string Key, string Value)> set, bool wait = true, TimeSpan? timeout = null, bool atomic = false) =>
        [.. (string[])["upgrade", "--install", Release, Chart, "--namespace", Namespace, "--create-namespace", "-f", valuesFile], .. (string[])(wait ? ["--wait"] : []),
         "--timeout", TwinClock.Format(timeout ?? TwinClock.HelmDefaultTimeout), .. (string[])(atomic ? ["--atomic"] : []), .. HelmRelease.SetArgs(set)];

    /// <summary>What Argo CD renders: `helm template` with no cluster access, so `lookup` is empty.</summary>
    public IReadOnlyList<string> HelmTemplate(string valuesFile, IEnumerable<(string Key, string Value)> set) =>
        [.. (string[])["template", Release, Chart, "--namespace", Namespace, "-f", valuesFile, "--kube-version", HelmRelease.ClientOnlyKubeVersion], .. HelmRelease.SetArgs(set)];

    public IReadOnlyList<string> CreateNamespace() => ["create", "namespace", Namespace];

    public IReadOnlyList<string> NamespaceExists() => ["get", "namespace", Namespace];

    public IReadOnlyList<string> Apply(string file) => ["--namespace", Namespace, "apply", "-f", file];

    /// <summary>Argo CD's BeforeHookCreation: the previous run's hook object goes first.</summary>
    public IReadOnlyList<string> DeleteIfPresent(string kind, string name) =>
        ["--namespace", Namespace, "delete", kind.ToLowerInvariant(), name, "--ignore-not-found", "--wait=true"];

    /// <summary>A Job's conditions, one "Type=Status" per line (Complete=True or Failed=True ends it).</summary>
    public IReadOnlyList<string> JobConditions(string job) =>
        ["--namespace", Namespace, "get", "job", job, "-o", "jsonpath={range .status.conditions[*]}{.type}={.status}{\"\\n\"}{end}"];

    /// <summary>
    /// Every OM pod ready at the new revision: Argo CD starts PostSync only then, and every step
    /// ends with it, so that what the rollout does is counted in the step that caused it.
    /// </summary>
    public IReadOnlyList<string> OmRolloutStatus() =>
        ["--namespace", Namespace, "rollout", "status", $"statefulset/{OmStatefulSet}", "--timeout", "30m"];

    public IReadOnlyList<string> HelmRollback(int revision, TimeSpan? timeout = null) =>
        ["rollback", Release, revision.ToString(System.Globalization.CultureInfo.InvariantCulture), "--namespace", Namespace, "--wait", "--timeout", TwinClock.Format(timeout ?? TwinClock.HelmDefaultTimeout)];

    /// <summary>`om-lifecycle status --output json` in an OM pod: members and leader as the ring reports them.</summary>
    public IReadOnlyList<string> Status(int ordinal) => Exec(OmPod(ordinal), "/opt/om-lifecycle/om-lifecycle", "status", "--output", "json");

    public IReadOnlyList<string> TransferLeader(string to) => Exec(OmPod(0), "/opt/om-lifecycle/om-lifecycle", "transfer-leader", "--to", to);

    /// <summary>The release's metadata as JSON; Helm 4 puts the newest revision's apply method in it (pkg/action/get_metadata.go).</summary>
    public IReadOnlyList<string> HelmGetMetadata() => ["get", "metadata", Release, "--namespace", Namespace, "-o", "json"];

    /// <summary>ssa or csa from `helm get metadata -o json`: no applyMethod (a revision Helm 3 wrote) is client-side, as Helm 4 prints it ("defaulted").</summary>
    public static string ApplyMethodOf(string metadataJson) =>
        System.Text.Json.Nodes.JsonNode.Parse(metadataJson)?["applyMethod"]?.GetValue<string>() == "ssa" ? "ssa" : "csa";

    /// <summary>helm uninstall, waiting until the release's objects are gone; PVCs of volumeClaimTemplates stay, as on any cluster.</summary>
    public IReadOnlyList<string> HelmUninstall() => ["uninstall", Release, "--namespace", Namespace, "--wait", "--timeout", "10m"];

    /// <summary>Deletes the release's PVCs: "all", or one component's ("om", "scm", "datanode"), by the labels the chart's volumeClaimTemplates carry.</summary>
    public IReadOnlyList<string> DeleteVolumes(string which) =>
        ["--namespace", Namespace, "delete", "pvc", "-l", which == "all" ? $"app.kubernetes.io/instance={Release}" : $"app.kubernetes.io/instance={Release},app.kubernetes.io/component={which}", "--wait=true"];

    /// <summary>The OM pods' names, one per line.</summary>
    public IReadOnlyList<string> OmPodNames() =>
        ["--namespace", Namespace, "get", "pods", "-l", $"app.kubernetes.io/instance={Release},app.kubernetes.io/component=om", "-o", "jsonpath={range .items[*]}{.metadata.name}{\"\\n\"}{end}"];

    /// <summary>The `om` container's log of an OM pod: the running container's, or with <paramref name="previous"/> the one before its last restart.</summary>
    public IReadOnlyList<string> OmLog(string pod, bool previous) =>
        ["--namespace", Namespace, "logs", pod, "-c", "om", .. (string[])(previous ? ["--previous"] : [])];

    /// <summary>An eviction as `kubectl drain` asks for it (the Eviction subresource), from a file holding <see cref="EvictionBody"/>: 429 when a disruption budget forbids it.</summary>
    public IReadOnlyList<string> EvictPod(string pod, string bodyFile) =>
        ["create", "--raw", $"/api/v1/namespaces/{Namespace}/pods/{pod}/eviction", "-f", bodyFile];

    public string EvictionBody(string pod) =>
        new System.Text.Json.Nodes.JsonObject
        {
            ["apiVersion"] = "policy/v1",
            ["kind"] = "Eviction",
            ["metadata"] = new System.Text.Json.Nodes.JsonObject { ["name"] = pod, ["namespace"] = Namespace },
        }.ToJsonString();

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

    /// <summary>The SCM Ratis configuration, asked in the first SCM pod.</summary>
    public IReadOnlyList<string> ScmRoles() => ExecIn(ScmPod, "scm", "ozone", "admin", "scm", "roles", "--json");

    /// <summary>
    /// Every datanode SCM knows. 2.1+ lists 100 by default and needs `--all` (ListInfoSubcommand);
    /// 2.0 has no `--all`, so the runner asks again without it when this one fails.
    /// </summary>
    public IReadOnlyList<string> DatanodeList(bool all = true) =>
        ExecIn(ScmPod, "scm", ["ozone", "admin", "datanode", "list", "--json", .. (string[])(all ? ["--all"] : [])]);

    private string ScmPod => $"{Fullname}-scm-0";

    private IReadOnlyList<string> Exec(string pod, params string[] command) => ExecIn(pod, "om", command);

    private IReadOnlyList<string> ExecIn(string pod, string container, params string[] command) =>
        ["--namespace", Namespace, "exec", pod, "-c", container, "--", .. command];
}
