using System.Diagnostics;
using k8s;
using k8s.Models;

namespace ClusterTwin;

/// <summary>The status of one revision of a release (Helm's pkg/release common.Status).</summary>
public enum RevisionStatus { Deployed, Superseded, Failed, PendingInstall, PendingUpgrade, PendingRollback }

/// <summary>
/// Helm's part, with the real binary: each revision is rendered by `helm template
/// --dry-run=server` against the twin's API (so `lookup` sees the live objects) and kept with its
/// status, as Helm's release storage keeps it, so that a rollback replays an old revision's
/// manifests and hooks and revision numbers count failed operations too.
/// </summary>
public sealed class HelmRelease(string helm, string chart, string release, string ns, string kubeconfig, string work)
{
    private readonly List<(string Manifest, RevisionStatus Status, string ApplyMethod)> revisions = [];

    public string Helm => helm;

    /// <summary>The newest revision's number, whatever its status (Helm numbers failed operations too).</summary>
    public int Revision => revisions.Count;

    public string Manifest(int revision) => revisions[revision - 1].Manifest;

    public RevisionStatus Status(int revision) => revisions[revision - 1].Status;

    /// <summary>How a revision's objects were written: "ssa", "csa", or "" where Helm 3 recorded nothing (`helm get metadata` shows it as client-side, defaulted).</summary>
    public string ApplyMethod(int revision) => revisions[revision - 1].ApplyMethod;

    /// <summary>
    /// How Helm applies an operation's objects. Helm 4.1's `--server-side` defaults to "auto": an install
    /// applies server-side (install.go), an upgrade as the newest revision was applied, a rollback as its
    /// target was (upgrade.go getUpgradeServerSideValue: "auto" is server-side only after "ssa"; rollback.go).
    /// Helm 3 has no apply method and records none, so a release that Helm 3 installed or last upgraded
    /// stays client-side under Helm 4. Argo CD applies client-side and Helm records nothing for it.
    /// </summary>
    public static string ApplyMethodFor(string helmName, string action, string? basis) =>
        helmName != "helm4" || action == "sync" ? "" : action == "install" || basis == "ssa" ? "ssa" : "csa";

    /// <summary>The newest revision that was deployed (deployed or superseded since), or null: what --atomic rolls back to (upgrade.go failRelease).</summary>
    public int? LastSuccessful =>
        Enumerable.Range(1, revisions.Count).Reverse().Cast<int?>().FirstOrDefault(r => revisions[r!.Value - 1].Status is RevisionStatus.Deployed or RevisionStatus.Superseded);

    /// <summary>The newest revision is still pending: Helm stores it so before an operation and only then sets its outcome.</summary>
    public bool Pending => revisions.Count > 0 && revisions[^1].Status is RevisionStatus.PendingInstall or RevisionStatus.PendingUpgrade or RevisionStatus.PendingRollback;

    /// <summary>Stores a new revision in a pending status (Helm does this before any hook runs); returns its number.</summary>
    public int Begin(string manifest, RevisionStatus pending, string applyMethod = "")
    {
        revisions.Add((manifest, pending, applyMethod));
        return revisions.Count;
    }

    /// <summary>The operation succeeded: every deployed revision is superseded by this one.</summary>
    public void Deploy(int revision)
    {
        for (var i = 0; i < revisions.Count; i++)
            if (revisions[i].Status == RevisionStatus.Deployed) revisions[i] = revisions[i] with { Status = RevisionStatus.Superseded };
        revisions[revision - 1] = revisions[revision - 1] with { Status = RevisionStatus.Deployed };
    }

    public void Fail(int revision) => revisions[revision - 1] = revisions[revision - 1] with { Status = RevisionStatus.Failed };

    /// <summary>
    /// Renders the chart. With <paramref name="lookup"/> (helm install/upgrade) against the twin's API;
    /// without it as Argo CD does, with no cluster access, so `lookup` returns nothing.
    /// </summary>
    public async Task<(bool Ok, string Manifest, string Error)> RenderAsync(string valuesYaml, IReadOnlyList<(string Key, string Value)> set, bool lookup = true, string? binary = null)
    {
        var exe = binary ?? helm;
        var values = Path.Combine(work, $"values-{revisions.Count + 1}.yaml");
        await File.WriteAllTextAsync(values, valuesYaml);
        var args = new List<string> { "template", release, chart, "--namespace", ns, "-f", values };
        if (!lookup) args.AddRange(["--kube-version", ClientOnlyKubeVersion]);
        else
        {
            args.AddRange(["--kubeconfig", kubeconfig, "--dry-run=server"]);
            if (Path.GetFileName(exe) == "helm4") args.Add("--disable-openapi-validation");
        }
        args.AddRange(SetArgs(set));
        var info = new ProcessStartInfo(exe) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) info.ArgumentList.Add(a);
        info.Environment["HELM_CACHE_HOME"] = Path.Combine(work, "helm", "cache");
        info.Environment["HELM_CONFIG_HOME"] = Path.Combine(work, "helm", "config");
        info.Environment["HELM_DATA_HOME"] = Path.Combine(work, "helm", "data");
        using var p = Process.Start(info)!;
        var o = p.StandardOutput.ReadToEndAsync();
        var e = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        return (p.ExitCode == 0, await o, await e);
    }

    /// <summary>helm uninstall removes the release's history: the next install is revision 1 again.</summary>
    public void Forget() => revisions.Clear();

    /// <summary>Documents split into hooks by event and the release's own resources.</summary>
    public static (List<IKubernetesObject> Resources, List<IKubernetesObject> Hooks) Split(string manifest)
    {
        var objects = KubernetesYaml.LoadAllFromString(manifest).OfType<IKubernetesObject>().ToList();
        var hooks = objects.Where(o => Annotations(o).ContainsKey("helm.sh/hook")).ToList();
        return (objects.Except(hooks).ToList(), hooks);
    }

    /// <summary>
    /// The release's own objects of <paramref name="previous"/> that <paramref name="next"/> no longer
    /// has (same apiVersion, kind and name): Helm deletes them after it applied the new ones
    /// (Helm 3.18 pkg/kube/client.go Update: original.Difference(target)). Hooks are not the release's.
    /// </summary>
    public static List<IKubernetesObject> Dropped(string previous, string next)
    {
        static string Key(IKubernetesObject o) => $"{o.ApiVersion}/{o.Kind}/{((IMetadata<V1ObjectMeta>)o).Metadata.Name}";
        var kept = Split(next).Resources.Select(Key).ToHashSet(StringComparer.Ordinal);
        return Split(previous).Resources.Where(o => !kept.Contains(Key(o))).ToList();
    }

    /// <summary>The Kubernetes version Argo CD passes to `helm template` (the twin's API reports 1.35).</summary>
    public const string ClientOnlyKubeVersion = "1.35.0";

    /// <summary>
    /// Hooks of any of the events, each once, in Helm's order: by weight, then name
    /// (pkg/action/hooks.go, hookByWeight under sort.Stable), and for the same weight and name by
    /// kind, since the hooks come pre-sorted by kind (pkg/releaseutil, SortManifests with InstallOrder).
    /// </summary>
    public static List<IKubernetesObject> HooksFor(List<IKubernetesObject> hooks, params string[] events) =>
        hooks.Where(h => Annotations(h)["helm.sh/hook"].Split(',').Select(x => x.Trim()).Intersect(events).Any())
            .OrderBy(h => int.TryParse(Annotations(h).GetValueOrDefault("helm.sh/hook-weight"), out var w) ? w : 0)
            .ThenBy(h => ((IMetadata<V1ObjectMeta>)h).Metadata.Name, StringComparer.Ordinal)
            .ThenBy(h => InstallOrder.IndexOf(h.Kind) is var i and >= 0 ? i : InstallOrder.Count)
            .ThenBy(h => h.Kind, StringComparer.Ordinal)
            .ToList();

    /// <summary>Helm's install order of kinds (pkg/releaseutil/kind_sorter.go, InstallOrder); unknown kinds last, by name.</summary>
    private static readonly List<string> InstallOrder =
    [
        "PriorityClass", "Namespace", "NetworkPolicy", "ResourceQuota", "LimitRange", "PodSecurityPolicy", "PodDisruptionBudget",
        "ServiceAccount", "Secret", "SecretList", "ConfigMap", "StorageClass", "PersistentVolume", "PersistentVolumeClaim",
        "CustomResourceDefinition", "ClusterRole", "ClusterRoleList", "ClusterRoleBinding", "ClusterRoleBindingList",
        "Role", "RoleList", "RoleBinding", "RoleBindingList", "Service", "DaemonSet", "Pod", "ReplicationController",
        "ReplicaSet", "Deployment", "HorizontalPodAutoscaler", "StatefulSet", "Job", "CronJob", "IngressClass", "Ingress",
        "APIService", "MutatingWebhookConfiguration", "ValidatingWebhookConfiguration",
    ];

    public static Dictionary<string, string> Annotations(IKubernetesObject o) =>
        new(((IMetadata<V1ObjectMeta>)o).Metadata.Annotations ?? new Dictionary<string, string>());

    /// <summary>Scenario values as Helm flags: `--set k=v`, or `--set-json k=JSON` for a list or map.</summary>
    public static IEnumerable<string> SetArgs(IEnumerable<(string Key, string Value)> set)
    {
        foreach (var (key, value) in set)
        {
            var structured = value.TrimStart().StartsWith('[') || value.TrimStart().StartsWith('{');
            yield return structured ? "--set-json" : "--set";
            yield return structured ? $"{key}={ToJson(value)}" : $"{key}={value}";
        }
    }

    /// <summary>Hooks whose delete policy removes them once they succeeded.</summary>
    public static bool DeletedOnSuccess(IKubernetesObject hook) =>
        (Annotations(hook).GetValueOrDefault("helm.sh/hook-delete-policy") ?? "").Contains("hook-succeeded");

    /// <summary>Hooks whose previous object Helm deletes before creating the new one (a rerun's Job replaces the old Job).</summary>
    public static bool DeletedBeforeCreation(IKubernetesObject hook) =>
        (Annotations(hook).GetValueOrDefault("helm.sh/hook-delete-policy") ?? "before-hook-creation").Contains("before-hook-creation");

    /// <summary>A structured --set value (YAML or JSON text) as the JSON that --set-json needs.</summary>
    private static string ToJson(string yaml)
    {
        var obj = new YamlDotNet.Serialization.DeserializerBuilder().Build().Deserialize<object>(yaml);
        return System.Text.Json.JsonSerializer.Serialize(obj);
    }
}
