using System.Diagnostics;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using OzoneSimulator;
using FakeKubeApi;

namespace ClusterTwin;

/// <summary>
/// Runs one scenario under one Helm version: Helm renders against the twin's API, the twin plays
/// Helm's hook order and the Kubernetes controllers, om-lifecycle runs for real in every OM pod and
/// hook Job, and the Ozone simulator plays Ozone. Expectations and invariants are checked per step.
/// </summary>
public sealed class Twin : IAsyncDisposable
{
    private readonly Scenario scenario;
    private readonly Cluster cluster;
    private readonly HelmRelease helm;
    private readonly PodRuntime runtime;
    private readonly OmStatefulSet oms;
    private readonly JobController jobs;
    private readonly string work;
    private readonly List<string> keys = [];
    private readonly string omName;
    private readonly int subnet;

    /// <summary>The StatefulSet controllers of the release's other workloads (SCM, datanode, S3G, Recon), by StatefulSet name.</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, OmStatefulSet> workloads = new();

    /// <summary>Cluster DNS for getaddrinfo; the twin's /etc/resolv.conf names it (Program.cs).</summary>
    private readonly TwinDnsServer dns;

    public Twin(Scenario scenario, string helmPath, string repoRoot, string omLifecycleBin, string simulatorDir, string work, int subnet = 77)
    {
        this.scenario = scenario;
        this.work = work;
        Directory.CreateDirectory(work);
        cluster = new Cluster(work, scenario.Namespace);
        helm = new HelmRelease(helmPath, Path.Combine(repoRoot, "charts", "ozone"), scenario.Release, scenario.Namespace, cluster.Kubeconfig, work);
        runtime = new PodRuntime(cluster, omLifecycleBin, simulatorDir);
        jobs = new JobController(cluster, runtime);
        omName = scenario.Release.Contains("ozone") ? $"{scenario.Release}-om" : $"{scenario.Release}-ozone-om";
        oms = new OmStatefulSet(cluster, runtime, omName, subnet);
        this.subnet = subnet;
        // DNS follows the API: EndpointSlices (the controller's, from pods and Services, and om-lifecycle's stand-ins) say what resolves.
        cluster.ServeDns();
        var resolver = new ClusterDnsResolver(cluster.SimState, PodRuntime.DnsNegativeTtl);
        dns = new TwinDnsServer(new System.Net.IPEndPoint(TwinDnsServer.AddressFor(subnet), 53), name => resolver.Resolve(name, DateTime.UtcNow));
        oms.Start();
    }

    private SimState Sim => new(cluster.SimState);

    /// <summary>Shorter lifecycle deadlines than production, so that a stuck step fails in minutes, not an hour.</summary>
    private static readonly (string, string)[] TwinDefaults =
    [
        ("om.lifecycle.bootstrapTimeout", "120"),
        ("om.lifecycle.decommissionTimeout", "120"),
        ("om.lifecycle.commandTimeout", "60"),
        ("om.lifecycle.waitForTurnTimeout", "600"),
    ];

    public async Task<List<StepReport>> RunAsync(Action<StepReport> onStep)
    {
        var reports = new List<StepReport>();
        for (var i = 0; i < scenario.Steps.Count; i++)
        {
            var report = await RunStepAsync(i + 1, scenario.Steps[i]);
            reports.Add(report);
            onStep(report);
        }
        return reports;
    }

    /// <summary>Arms (or lifts, with an empty list) the simulator's stalled bootstrap for these joiners.</summary>
    private void StallBootstraps(int index, IReadOnlyList<string> nodes)
    {
        var faults = Sim.Faults();
        faults.StallBootstrap = [.. nodes];
        Sim.WriteFaults(faults);
        Console.Error.WriteLine($"twin: step {index}: bootstraps that never join: {(nodes.Count == 0 ? "none" : string.Join(", ", nodes))}");
    }

    /// <summary>Cuts these OMs off from their Ratis peers (or heals every cut, with an empty list); the simulator's elections follow.</summary>
    private void Isolate(int index, IReadOnlyList<string> nodes)
    {
        var faults = Sim.Faults();
        faults.Isolated = [.. nodes];
        Sim.WriteFaults(faults);
        Console.Error.WriteLine($"twin: step {index}: OMs cut off from their Ratis peers: {(nodes.Count == 0 ? "none" : string.Join(", ", nodes))}");
    }

    private async Task<StepReport> RunStepAsync(int index, Step step)
    {
        var clock = Stopwatch.StartNew();
        var before = Snapshot();
        var startsBefore = new Dictionary<string, int>(oms.Starts);
        var existing = oms.Pods.Values.Select(p => p.Sandbox.Name).ToHashSet();
        var failures = new List<string>();
        await using var quorum = new QuorumWatch(Sim);
        using var faults = new FaultInjector(step.Faults, this);
        var released = true;
        var deniedBefore = cluster.Api.Denied.Count;
        // What Helm would print when the operation fails: a step failure only when the step expects success.
        var releaseErrors = new List<string>();

        if (step.StallBootstrap is { } stalled) StallBootstraps(index, stalled);
        if (step.Isolate is { } isolated) Isolate(index, isolated);

        switch (step.Action)
        {
            case "install" or "upgrade" or "sync":
                released = await ReleaseAsync(step, step.Action, null, releaseErrors);
                if (!released && step.Atomic && step.Action != "sync") await RollBackAtomicallyAsync(step, releaseErrors);
                break;
            case "rollback":
                released = await ReleaseAsync(step, "rollback", step.Revision ?? helm.Revision - 1, releaseErrors);
                break;
            case "transfer-leader":
                var pod = oms.Pods.Values.First();
                var code = await runtime.ExecAsync(pod.Sandbox, pod.Sandbox.Spec.Containers[0], ["/opt/om-lifecycle/om-lifecycle", "transfer-leader", "--to", step.To!], TimeSpan.FromMinutes(2));
                if (code != 0) failures.Add($"transfer-leader exited {code}");
                break;
            case "uninstall":
                await UninstallAsync(step.DeleteVolumes, failures);
                break;
            case "api-fault":
                cluster.Api.AddFault(step.ApiFault!.ToFault(scenario.Namespace, omName));
                Console.Error.WriteLine($"twin: step {index}: the API server now fails: {step.ApiFault}");
                break;
            case "kill-pod":
                var ordinal = int.Parse(step.Pod![(omName.Length + 1)..]);
                switch (step.Mode)
                {
                    case "crash": oms.KillContainer(ordinal); break;
                    case "lose-volume": await oms.LoseVolumeAsync(ordinal); break;
                    // No Kubernetes controller recreates it; the step says when the node comes back (default 5m, twin time).
                    case "node-loss": oms.LoseNode(ordinal, TwinClock.Of(step.RecreateAfter ?? TimeSpan.FromMinutes(5))); break;
                    // kubectl drain: the eviction API checks the PodDisruptionBudgets first, and a refusal deletes nothing.
                    case "evict" when EvictionRefusal(step.Pod!) is { } refusal:
                        released = false;
                        releaseErrors.Add($"eviction of {step.Pod} refused (429): {refusal}");
                        break;
                    default: await oms.DeletePodAsync(ordinal, graceful: true); break;
                }
                break;
            default:
                failures.Add($"unknown action '{step.Action}'");
                break;
        }
        // The step ends when the cluster has settled, whatever the action: what follows is the next step's.
        if (step.Settle && await WaitRolledOutAsync() is { Count: > 0 } notSettled) failures.Add($"not rolled out within 4 minutes: {string.Join(", ", notSettled)}");
        await faults.StopAsync();
        await quorum.StopAsync();

        var after = Snapshot();
        // Nothing serves after an uninstall: no key to write, none to read, and the ring stopping is no quorum loss.
        var uninstalled = step.Action == "uninstall";
        if (uninstalled) quorum.Losses.Clear();
        var readable = uninstalled ? (Missing: new List<string>(), Count: keys.Count) : ReadableKeys();
        if (released && !uninstalled && Sim.Read().Leader is not null) keys.Add(PutKey(index));

        // Joined a ring that already existed: new voters (a first install's members form the ring, they do not join it).
        var bootstrapped = before.Voters.Count == 0 ? [] : after.Voters.Except(before.Voters).Order(StringComparer.Ordinal).ToList();
        // Voters that vanish with their deleted volumes were not decommissioned.
        var decommissioned = step.DeletesVolumesOf("om") ? [] : before.Voters.Except(after.Voters).ToList();
        var wiped = before.WithData.Except(after.WithData).ToList();
        var restarts = oms.Starts.Where(s => existing.Contains(s.Key)).Sum(s => s.Value - startsBefore.GetValueOrDefault(s.Key));
        // A new ring (volumes deleted) counts its leader changes from zero again.
        var leaderChanges = Math.Max(0, after.LeaderChanges - before.LeaderChanges);
        var calls = after.Calls - before.Calls;

        var e = step.Expect;
        if (e.ReleaseFails == released) failures.Add(e.ReleaseFails ? "the release was expected to fail but succeeded" : "the release failed");
        if (!e.ReleaseFails) failures.AddRange(releaseErrors);
        else foreach (var error in releaseErrors) Console.Error.WriteLine($"twin: step {index}: helm said (as expected): {error}");
        if (e.ReleaseError is { } expectedError && !releaseErrors.Any(x => x.Contains(expectedError, StringComparison.Ordinal)))
            failures.Add($"releaseError: expected Helm's error to contain '{expectedError}', got [{string.Join(" | ", releaseErrors)}]");
        Check(failures, "members", e.Members, after.Voters);
        if (e.Leader is not null && after.Leader != e.Leader) failures.Add($"leader: expected {e.Leader}, got {after.Leader ?? "none"}");
        if (e.LeaderNot is not null && after.Leader == e.LeaderNot) failures.Add($"leader: expected not {e.LeaderNot}");
        Check(failures, "bootstrapped", e.Bootstrapped, bootstrapped);
        Check(failures, "decommissioned", e.Decommissioned, decommissioned);
        Check(failures, "wiped", e.Wiped, wiped);
        if (e.MaxOmRestarts is { } maxRestarts && restarts > maxRestarts) failures.Add($"OM restarts: {restarts} > {maxRestarts}");
        if (e.OmRestarts is { } exactRestarts && restarts != exactRestarts) failures.Add($"OM restarts: expected {exactRestarts}, got {restarts}");
        if (e.MaxLeaderChanges is { } maxChanges && leaderChanges > maxChanges) failures.Add($"leader changes: {leaderChanges} > {maxChanges}");
        if (e.ScmMembers is not null || e.RegisteredDatanodes is not null) CheckScm(failures, e);
        if (e.OmLog is { } said) CheckOmLogs(failures, said);
        // As `helm get metadata` shows it: a revision Helm 3 wrote is client-side, "(defaulted)".
        var method = helm.Revision == 0 ? "none" : helm.ApplyMethod(helm.Revision) == "ssa" ? "ssa" : "csa";
        if (e.ApplyMethod is { } expectedMethod && method != expectedMethod) failures.Add($"applyMethod: expected the newest revision applied {expectedMethod}, got {method}");
        // Invariants, after every step.
        // Least privilege must be enough: any request the chart's RBAC refused is a gap in the chart (or a call om-lifecycle should not make).
        // Not during an uninstall: Helm deletes the Roles right after the StatefulSets, without waiting for
        // their pods (pkg/action/uninstall.go, releaseutil.UninstallOrder), so a stopping OM's preStop meets 403s there too.
        if (cluster.Api.Denied.Skip(deniedBefore).ToList() is { Count: > 0 } denied)
        {
            if (uninstalled) Console.Error.WriteLine($"twin: step {index}: RBAC forbade {denied.Count} requests of pods stopping after Helm deleted their Roles (as on a real cluster), e.g. {denied[0]}");
            else failures.Add($"RBAC forbade {denied.Count} API requests of the chart's pods and Jobs, e.g. {denied[0]}; the chart's Roles lack a rule om-lifecycle needs");
        }
        if (quorum.Losses.Count > 0) failures.Add($"quorum lost {quorum.Losses.Count} times, e.g. {quorum.Losses[0]}");
        foreach (var member in after.Voters.Where(v => !after.WithData.Contains(v))) failures.Add($"member {member} has no data on its volume");
        // Helm waited for the wipe Jobs: a volume whose VERSION is gone must hold nothing else of the OM either.
        if (released) foreach (var (node, left) in after.HalfWiped) failures.Add($"the volume of {node} has no VERSION but still holds OM data ({string.Join(", ", left)}): a wipe left part of the node's data behind");
        if (readable.Missing.Count > 0) failures.Add($"keys written earlier are not readable: {string.Join(", ", readable.Missing)}");
        if (Sim.Read().LostLog is { Count: > 0 } amnesiac) failures.Add($"voters started as plain members without their Raft log (a lost volume, then --init and 'ozone om'): {string.Join(", ", amnesiac)}; Raft's safety no longer holds (Ozone's recovery is '--bootstrap' with the same node id)");
        // Elections pick their winners at random: say how to draw the same ones again.
        if (failures.Count > 0 && Sim.Read().ElectionSeed is { } seed) failures.Add($"the simulator's election seed was {seed}: run again with OZONE_SIM_SEED={seed} to replay its draws");
        // A CI run keeps only what is printed: the last words of every OM that is not ready say why.
        if (failures.Count > 0) PrintLogTailsOfUnreadyOms(index);

        return new StepReport(index, step.Name, Path.GetFileName(HelmBinary(step)), failures.Count == 0, failures, after.Voters, after.Leader, bootstrapped, decommissioned, wiped,
            restarts, leaderChanges, calls, Math.Round(clock.Elapsed.TotalSeconds, 1), quorum.Samples, !released);
    }

    /// <summary>What the eviction API answers for an OM pod now (<see cref="DisruptionBudget"/>): null when it may go.</summary>
    private string? EvictionRefusal(string podName)
    {
        var pods = cluster.Api.Store.List(Cluster.Kind("v1", "Pod"), cluster.Namespace).Select(DisruptionBudget.PodFromJson).ToList();
        var budgets = cluster.Api.Store.List(Cluster.Kind("policy/v1", "PodDisruptionBudget"), cluster.Namespace).Select(DisruptionBudget.FromJson).ToList();
        var expected = cluster.Get("apps/v1", "StatefulSet", omName)?["spec"]?["replicas"]?.GetValue<int>() ?? 0;
        return DisruptionBudget.EvictionRefusal(podName, pods, budgets, expected);
    }

    /// <summary>omLog: every OM pod's `om` container log (all its restarts, as `kubectl logs` and `--previous` show them) says <paramref name="said"/>.</summary>
    private void CheckOmLogs(List<string> failures, string said)
    {
        if (oms.Pods.Count == 0) failures.Add($"omLog: no OM pod runs to say '{said}'");
        foreach (var pod in oms.Pods.Values)
        {
            var log = Path.Combine(pod.Sandbox.Dir, "om.log");
            if (!File.Exists(log)) { failures.Add($"omLog: {pod.Sandbox.Name} has no om container log"); continue; }
            using var reader = new StreamReader(new FileStream(log, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete));
            if (!reader.ReadToEnd().Contains(said, StringComparison.Ordinal)) failures.Add($"omLog: {pod.Sandbox.Name}'s om container log does not say '{said}'");
        }
    }

    private void PrintLogTailsOfUnreadyOms(int index)
    {
        const int lines = 12, width = 600;
        foreach (var pod in oms.Pods.Values.Where(p => !p.Ready))
        {
            foreach (var log in Directory.EnumerateFiles(pod.Sandbox.Dir, "*.log").Order(StringComparer.Ordinal))
            {
                // The container may still be writing it: share the file with the writer.
                using var reader = new StreamReader(new FileStream(log, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete));
                var tail = reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries).TakeLast(lines).Select(l => l.Length > width ? l[..width] + "…" : l);
                Console.Error.WriteLine($"twin: step {index}: {pod.Sandbox.Name} is not ready; the last {lines} lines of {Path.GetFileName(log)}:");
                foreach (var line in tail) Console.Error.WriteLine($"    {line}");
            }
        }
    }

    private static void Check(List<string> failures, string what, IReadOnlyList<string>? expected, IReadOnlyList<string> actual)
    {
        if (expected is null) return;
        if (!expected.Order(StringComparer.Ordinal).SequenceEqual(actual.Order(StringComparer.Ordinal)))
            failures.Add($"{what}: expected [{string.Join(", ", expected)}], got [{string.Join(", ", actual)}]");
    }

    /// <summary>
    /// helm install/upgrade/rollback, or an Argo CD sync: pre hooks, resources, the rollout wait
    /// (with --wait, the default), post hooks. A sync renders without lookup and runs pre-install
    /// and pre-upgrade hooks as PreSync, post-install and post-upgrade as PostSync, as Argo CD maps
    /// Helm's hooks (Argo CD runs PostSync once the synced resources are healthy, so it waits too).
    /// </summary>
    private async Task<bool> ReleaseAsync(Step step, string action, int? rollbackTo, List<string> failures)
    {
        if (HistoryRefusal(action) is { } refusal) { failures.Add(refusal); return false; }
        string manifest;
        if (rollbackTo is { } revision)
        {
            if (revision < 1 || revision > helm.Revision) { failures.Add($"release has no {revision} version"); return false; }
            manifest = helm.Manifest(revision);
        }
        else
        {
            var (ok, rendered, error) = await helm.RenderAsync(scenario.ValuesYaml, [.. TwinDefaults, .. step.Set], lookup: action != "sync", binary: HelmBinary(step));
            if (!ok) { failures.Add($"helm template failed: {error.Trim()}"); return false; }
            manifest = rendered;
        }
        var (resources, hooks) = HelmRelease.Split(manifest);
        string[] pre = action switch { "install" => ["pre-install"], "upgrade" => ["pre-upgrade"], "sync" => ["pre-install", "pre-upgrade"], _ => ["pre-rollback"] };
        string[] post = action switch { "install" => ["post-install"], "upgrade" => ["post-upgrade"], "sync" => ["post-install", "post-upgrade"], _ => ["post-rollback"] };
        var basis = action == "rollback" ? helm.ApplyMethod(rollbackTo!.Value) : helm.Revision > 0 ? helm.ApplyMethod(helm.Revision) : null;
        var applyMethod = HelmRelease.ApplyMethodFor(Path.GetFileName(HelmBinary(step)), action, basis);
        var applier = action == "sync" ? Applier.ArgoCd : applyMethod == "ssa" ? Applier.ServerSide : Applier.ClientSide;

        var timeout = step.HelmTimeout;
        // Helm stores the new revision as pending before any hook runs. An install or upgrade that fails
        // then is marked failed (install.go, upgrade.go failRelease); a rollback whose pre- or post-rollback
        // hook fails stays pending-rollback (rollback.go returns without a status), and so blocks the next upgrade.
        var number = helm.Begin(manifest, action switch { "install" => RevisionStatus.PendingInstall, "rollback" => RevisionStatus.PendingRollback, _ => RevisionStatus.PendingUpgrade }, applyMethod);
        bool Failed(bool hookOfRollback = false)
        {
            if (!(hookOfRollback && action == "rollback")) helm.Fail(number);
            return false;
        }
        if (!await RunHooksAsync(HelmRelease.HooksFor(hooks, pre), pre[^1], timeout, failures)) return Failed(hookOfRollback: true);
        foreach (var resource in resources)
        {
            if (Apply(resource, applier) is { } refused) { failures.Add($"{applier} could not apply {((IMetadata<V1ObjectMeta>)resource).Metadata.Name}: {refused}"); return Failed(); }
        }
        // Helm deletes what the release had and no longer renders (an Argo CD sync prunes only when told to):
        // compared with the deployed revision on an upgrade (upgrade.go), with the newest one on a rollback (rollback.go).
        var current = action == "rollback" ? number - 1 : helm.LastSuccessful;
        if (action != "sync" && current is >= 1)
            foreach (var dropped in HelmRelease.Dropped(helm.Manifest(current.Value), manifest))
                if (ApiResource.ByKind(dropped.ApiVersion, dropped.Kind) is not null)
                    cluster.Delete(dropped.ApiVersion, dropped.Kind, ((IMetadata<V1ObjectMeta>)dropped).Metadata.Name);
        oms.SyncConfigMapsLater();
        foreach (var workload in workloads.Values) workload.SyncConfigMapsLater();
        // Helm's --wait gives up after --timeout (Helm 3.18 pkg/kube/wait.go: "timed out waiting for the condition"; Helm 4.1 pkg/kube statuswait: "context deadline exceeded").
        // Without --wait (Helm 3) or with Helm 4's default --wait=hookOnly, post hooks follow the apply at once.
        if (step.Wait && await WaitRolledOutAsync(TwinClock.Of(timeout), resources) is { Count: > 0 } notReady)
        {
            failures.Add($"{action} --wait --timeout {TwinClock.Format(timeout)}: timed out waiting for the condition (not ready: {string.Join(", ", notReady)})");
            return Failed();
        }
        if (!await RunHooksAsync(HelmRelease.HooksFor(hooks, post), post[^1], timeout, failures)) return Failed(hookOfRollback: true);
        helm.Deploy(number);
        return true;
    }

    /// <summary>
    /// What Helm refuses from the release's history before it renders anything (Helm 3.18 and 4.1):
    /// install.go availableName (a name with any history is in use unless --replace), upgrade.go
    /// prepareUpgrade (no history: "has no deployed releases"; a pending newest revision: errPending),
    /// rollback.go prepareRollback (no history). An Argo CD sync keeps no Helm history to check.
    /// </summary>
    private string? HistoryRefusal(string action) => action switch
    {
        "install" when helm.Revision > 0 => "cannot re-use a name that is still in use",
        "upgrade" when helm.Revision == 0 => $"\"{scenario.Release}\" has no deployed releases",
        "upgrade" when helm.Pending => $"another operation (install/upgrade/rollback) is in progress",
        "rollback" when helm.Revision == 0 => "release: not found",
        _ => null,
    };

    /// <summary>
    /// helm uninstall: deletes the objects of the release's last revision (not its hooks, which Helm
    /// does not track: helm.sh/docs/topics/charts_hooks, "Hook resources are not managed with
    /// corresponding releases"), with background propagation, so the garbage collector takes what
    /// they own; PVCs of volumeClaimTemplates stay. With <paramref name="deleteVolumes"/>, the user
    /// then deletes the release's PVCs, and with them the Ratis logs that held the OM ring.
    /// </summary>
    private async Task UninstallAsync(string? deleteVolumes, List<string> failures)
    {
        if (helm.Revision == 0) { failures.Add("uninstall: no release is installed"); return; }
        var (resources, _) = HelmRelease.Split(helm.Manifest(helm.Revision));
        foreach (var resource in Enumerable.Reverse(resources))
        {
            if (ApiResource.ByKind(resource.ApiVersion, resource.Kind) is not null)
                cluster.Delete(resource.ApiVersion, resource.Kind, ((IMetadata<V1ObjectMeta>)resource).Metadata.Name);
        }
        helm.Forget();
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        try { while (oms.Pods.Count > 0 || workloads.Values.Any(w => w.Pods.Count > 0)) await Task.Delay(200, deadline.Token); }
        catch (OperationCanceledException) { failures.Add("uninstall: the release's pods did not stop within 4 minutes"); return; }
        if (deleteVolumes is null) return;
        foreach (var pvc in cluster.Api.Store.List(Cluster.Kind("v1", "PersistentVolumeClaim"), cluster.Namespace))
        {
            var name = pvc["metadata"]!["name"]!.GetValue<string>();
            var labels = pvc["metadata"]?["labels"];
            if (labels?["app.kubernetes.io/instance"]?.GetValue<string>() != scenario.Release) continue;
            if (deleteVolumes != "all" && labels?["app.kubernetes.io/component"]?.GetValue<string>() != deleteVolumes) continue;
            cluster.Delete("v1", "PersistentVolumeClaim", name);
            if (Directory.Exists(cluster.PvcDir(name))) Directory.Delete(cluster.PvcDir(name), recursive: true);
        }
        // The OM's key table, SCM's block map or the blocks themselves are gone: no key written before can be read.
        keys.Clear();
        // The simulator keeps the ring in one file; in Ozone it lives only in the OMs' Ratis logs on those volumes.
        if (deleteVolumes is "all" or "om") File.Delete(Path.Combine(cluster.SimState, "ring.json"));
        // Likewise the SCM ring, which lives in the SCMs' Ratis dirs.
        if (deleteVolumes is "all" or "scm") File.Delete(Path.Combine(cluster.SimState, "scm.json"));
    }

    private int serviceIps;

    /// <summary>The controller of a StatefulSet other than the OMs', started on its first apply; each gets the next last IP octet (the OMs have 1).</summary>
    private OmStatefulSet Controller(string name) => workloads.GetOrAdd(name, n =>
    {
        lock (workloads)
        {
            var controller = new OmStatefulSet(cluster, runtime, n, subnet, hostOctet: 2 + workloads.Count);
            controller.Start();
            return controller;
        }
    });

    /// <summary>Who writes the release's objects, and how: Helm client-side (Helm 3, and Helm 4 on a release Helm 3 applied) or server-side (Helm 4), Argo CD client-side.</summary>
    private enum Applier { ClientSide, ServerSide, ArgoCd }

    /// <summary>The Helm binary of a step: its own `helm:` (helm3 or helm4, beside the run's), else the run's.</summary>
    private string HelmBinary(Step step) => step.Helm is { } name ? Path.Combine(Path.GetDirectoryName(helm.Helm)!, name) : helm.Helm;

    /// <summary>The write of one object; returns the API server's refusal, if any.</summary>
    private string? Apply(IKubernetesObject obj, Applier applier = Applier.ClientSide)
    {
        var json = JsonNode.Parse(KubernetesJson.Serialize(obj))!.AsObject();
        // The ownership Helm stamps on what it creates; `lookup` under --dry-run=server checks it.
        var meta = json["metadata"]!.AsObject();
        var labels = meta["labels"] as JsonObject ?? new JsonObject();
        labels["app.kubernetes.io/managed-by"] = "Helm";
        meta["labels"] = labels;
        var annotations = meta["annotations"] as JsonObject ?? new JsonObject();
        annotations["meta.helm.sh/release-name"] = scenario.Release;
        annotations["meta.helm.sh/release-namespace"] = scenario.Namespace;
        meta["annotations"] = annotations;
        if (obj is V1StatefulSet sts && sts.Metadata.Name == omName)
            return ApplyOmStatefulSet(json, sts.Spec.Replicas ?? 1, applier);
        if (obj is V1StatefulSet other) Controller(other.Metadata.Name);
        // The twin runs StatefulSets and Jobs; a workload kind it cannot run would pass unseen.
        if (obj.Kind is "Deployment" or "DaemonSet" or "ReplicaSet" or "Pod") return $"the twin has no controller for {obj.Kind}; teach it (tests/ClusterTwin) before the chart renders one";
        // The API server allocates a ClusterIP on create ("None" for headless Services stays), which Helm 3's serviceReady checks.
        if (obj.Kind == "Service" && json["spec"] is JsonObject serviceSpec && serviceSpec["clusterIP"] is null)
            serviceSpec["clusterIP"] = cluster.Get("v1", "Service", ((IMetadata<V1ObjectMeta>)obj).Metadata.Name)?["spec"]?["clusterIP"]?.GetValue<string>() ?? $"10.96.{subnet}.{Interlocked.Increment(ref serviceIps)}";
        if (Cluster.Kind(obj.ApiVersion, obj.Kind) is not null) return Write(json);
        return null;
    }

    /// <summary>
    /// One write of the release; the API server's refusal of an invalid update as Helm reports it
    /// (Helm 3.18 pkg/kube/client.go updateResource: "cannot patch %q with kind %s: %v").
    /// </summary>
    private string? Write(JsonObject json)
    {
        try { cluster.Put(json); return null; }
        catch (FakeKubeApi.InvalidObjectException e) { return $"cannot patch \"{json["metadata"]!["name"]}\" with kind {json["kind"]}: {e.Message}"; }
    }

    /// <summary>
    /// Client-side apply (Helm 3, Helm 4 on a release Helm 3 applied, Argo CD's default) is a plain
    /// write that takes spec.replicas over; Helm 4's server-side apply writes as manager "helm"
    /// without --force-conflicts, so it is refused when another manager owns a different size.
    /// </summary>
    private string? ApplyOmStatefulSet(JsonObject json, int replicas, Applier applier)
    {
        var live = cluster.Get("apps/v1", "StatefulSet", omName);
        var before = live?["spec"]?["replicas"]?.GetValue<int>();
        if (live?["metadata"]?["managedFields"] is { } owned) json["metadata"]!["managedFields"] = owned.DeepClone();
        if (applier == Applier.ServerSide)
        {
            if (ReplicaOwnership.Apply(json, before, replicas, "helm", force: false) is { } conflict) return conflict;
        }
        else ReplicaOwnership.RecordWrite(json, before, replicas, applier == Applier.ArgoCd ? "argocd-controller" : "helm");
        return Write(json);
    }

    /// <summary>
    /// Helm's hook phase (Helm 3.18 pkg/action/hooks.go execHook; Helm 4.1 the same file): each hook
    /// in order; a `before-hook-creation` hook's previous object is deleted first (in the background:
    /// Helm does not wait for the old Job's pod); each Job is waited for at most --timeout. When that
    /// passes Helm fails the operation ("pre-upgrade hooks failed: ... timed out waiting for the
    /// condition", upgrade.go) but the Job is not touched and runs on, as Kubernetes keeps it running.
    /// </summary>
    private async Task<bool> RunHooksAsync(List<IKubernetesObject> hooks, string phase, TimeSpan timeout, List<string> failures)
    {
        foreach (var hook in hooks)
        {
            if (hook is V1Job old && HelmRelease.DeletedBeforeCreation(old)) jobs.Delete(old.Metadata.Name);
            Apply(hook);
            if (hook is not V1Job job) continue;
            var run = jobs.RunToEndAsync(job);
            if (await Task.WhenAny(run, TwinDeadline.PassAsync(TwinClock.Of(timeout))) != run)
            {
                failures.Add($"{phase} hooks failed: 1 error occurred: * timed out waiting for the condition (Job {job.Metadata.Name}, --timeout {TwinClock.Format(timeout)}; the Job keeps running)");
                return false;
            }
            // Helm 3.18 pkg/kube/client.go waitForJob: "job %s failed: %s" with the Failed condition's reason.
            if (await run is { Succeeded: false } outcome) { failures.Add($"{phase} hooks failed: 1 error occurred: * job {job.Metadata.Name} failed: {outcome.Reason} ({outcome.Attempts} pods)"); return false; }
            if (HelmRelease.DeletedOnSuccess(job)) jobs.Delete(job.Metadata.Name);
        }
        foreach (var hook in hooks.Where(h => h is not V1Job && HelmRelease.DeletedOnSuccess(h)))
            cluster.Delete(hook.ApiVersion, hook.Kind, ((IMetadata<V1ObjectMeta>)hook).Metadata.Name);
        return true;
    }

    /// <summary>
    /// helm --atomic after a failed install or upgrade (Helm 3.18 pkg/action/upgrade.go failRelease,
    /// Helm 4.1 the same): a rollback to the last successful revision, with --wait and the same
    /// --timeout, hooks included; the operation still fails ("... has been rolled back due to
    /// atomic being set"). A failed first install is uninstalled instead, which the twin does not play.
    /// </summary>
    private async Task RollBackAtomicallyAsync(Step step, List<string> failures)
    {
        if (helm.LastSuccessful is not { } lastGood) { failures.Add("--atomic on a failed first install means helm uninstall, which the twin does not play"); return; }
        var upgradeError = string.Join("; ", failures);
        var rollbackErrors = new List<string>();
        var rolledBack = await ReleaseAsync(step with { Wait = true }, "rollback", lastGood, rollbackErrors);
        failures.Clear();
        failures.Add(rolledBack
            ? $"release {scenario.Release} failed, and has been rolled back due to atomic being set: {upgradeError}"
            : $"an error occurred while rolling back the release. original upgrade error: {upgradeError}: {string.Join("; ", rollbackErrors)}");
    }

    /// <summary>The processes of hook Jobs while they run, for the fault injector.</summary>
    public System.Collections.Concurrent.ConcurrentDictionary<string, (Process Process, PodRuntime.PodSandbox Sandbox)> RunningJobs => jobs.Running;

    public OmStatefulSet Oms => oms;

    public Cluster Cluster => cluster;

    public string OmName => omName;

    /// <summary>
    /// Waits until the release's objects are ready, and returns what was not ready at the deadline.
    /// With <paramref name="resources"/>, Helm's `--wait` scope: Helm 3.18 `--wait` ("all Pods, PVCs,
    /// Services, and minimum number of Pods of a Deployment, StatefulSet, or ReplicaSet", its --help;
    /// pkg/kube/ready.go per kind), Helm 4.1 `--wait` = `--wait=watcher` (kstatus, the same kinds; its
    /// --help: "Values: 'watcher', 'hookOnly', and 'legacy'. (default hookOnly)"). Jobs only with
    /// --wait-for-jobs, which the twin does not play. Without, the step's "settled" check: every
    /// StatefulSet the twin runs has rolled out. StatefulSets use <see cref="RolledOut"/>, after a
    /// controller sync that started after the call; a Service needs its ClusterIP.
    /// </summary>
    private async Task<List<string>> WaitRolledOutAsync(TimeSpan? limit = null, IReadOnlyList<IKubernetesObject>? resources = null)
    {
        var controllers = new List<OmStatefulSet> { oms };
        controllers.AddRange(workloads.Values);
        var names = resources is null
            ? controllers.Select(c => c.Name).ToList()
            : resources.OfType<V1StatefulSet>().Select(x => x.Metadata.Name).ToList();
        var services = resources?.Where(r => r.Kind == "Service").Select(r => ((IMetadata<V1ObjectMeta>)r).Metadata.Name).ToList() ?? [];
        List<string> NotReady() =>
        [
            .. names.Where(n => cluster.Get("apps/v1", "StatefulSet", n) is { } sts && !RolledOut(sts)).Select(n => $"StatefulSet {n}"),
            .. services.Where(n => cluster.Get("v1", "Service", n)?["spec"]?["clusterIP"] is null).Select(n => $"Service {n}"),
        ];
        using var deadline = TwinDeadline.Start(limit ?? TimeSpan.FromMinutes(4));
        try
        {
            foreach (var controller in controllers.Where(c => names.Contains(c.Name))) await controller.SyncedAsync(deadline.Token);
            while (NotReady().Count > 0) await Task.Delay(200, deadline.Token);
            return [];
        }
        catch (OperationCanceledException) { return NotReady() is { Count: > 0 } left ? left : ["the StatefulSet controller's sync"]; }
    }

    /// <summary>
    /// The SCM side after the step: the peers of each SCM ring (config node ids) and the datanodes
    /// registered with its SCMs, as the simulator's SCMs hold them.
    /// </summary>
    private void CheckScm(List<string> failures, Expectations e)
    {
        var scm = OzoneSimulator.ScmStateFile.Read(Sim);
        var rings = scm.Rings.Where(r => r.Value.Count > 0).ToList();
        if (e.ScmMembers is { } expected)
        {
            if (rings.Count != 1) failures.Add($"scmMembers: expected one SCM ring, found {rings.Count} ({string.Join("; ", rings.Select(r => $"{r.Key}: {string.Join(", ", r.Value.Select(p => p.NodeId))}"))})");
            else Check(failures, "scmMembers", expected, rings[0].Value.Select(p => p.NodeId).ToList());
        }
        if (e.RegisteredDatanodes is { } count)
        {
            var registered = scm.Datanodes.Values.Where(d => rings.Any(r => r.Key == d.ClusterId)).Select(d => d.Pod).Distinct().Count();
            if (registered != count) failures.Add($"registeredDatanodes: expected {count}, got {registered}");
        }
    }

    /// <summary>
    /// The rollout rule of Helm 3.18 pkg/kube/ready.go statefulSetReady and kubectl's
    /// StatefulSetStatusViewer (k8s.io/kubectl/pkg/polymorphichelpers/rollout_status.go): the
    /// controller has observed the current generation, every replica from the partition up is at
    /// the update revision, exactly spec.replicas pods are ready (Helm's `!=`, so a pod still
    /// leaving counts too), and with no partition currentRevision has caught up with updateRevision.
    /// </summary>
    public static bool RolledOut(JsonObject sts)
    {
        var generation = sts["metadata"]?["generation"]?.GetValue<long>() ?? 0;
        var status = sts["status"];
        if (status?["observedGeneration"]?.GetValue<long>() is not { } observed || observed < generation) return false;
        var replicas = sts["spec"]?["replicas"]?.GetValue<int>() ?? 1;
        var partition = sts["spec"]?["updateStrategy"]?["rollingUpdate"]?["partition"]?.GetValue<int>() ?? 0;
        if ((status["updatedReplicas"]?.GetValue<int>() ?? 0) < replicas - partition) return false;
        if ((status["readyReplicas"]?.GetValue<int>() ?? 0) != replicas) return false;
        return partition > 0 || status["currentRevision"]?.GetValue<string>() == status["updateRevision"]?.GetValue<string>();
    }

    private sealed record Observation(List<string> Voters, string? Leader, int LeaderChanges, int Calls, Dictionary<string, string> Markers, List<string> WithData, Dictionary<string, List<string>> HalfWiped);

    /// <summary>
    /// What an OM keeps under ozone.metadata.dirs besides om/current/VERSION, in every release's layout
    /// (OmDataLocations in om-lifecycle names the sources): the DB, its checkpoints and backups, the
    /// Ratis log and snapshot dirs (`ratis`/`snapshot` up to 2.1, `om.ratis`/`om.ratis.snapshot` from 2.2).
    /// </summary>
    private static bool IsOmArtifact(string name) =>
        name is "om" or "om.db" or "ratis" or "om.ratis" or "snapshot" or "om.ratis.snapshot" or "db.snapshots" or "db.checkpoints" or "omMetrics" or "dbInconsistentMarker"
        || name.StartsWith("om.db.backup", StringComparison.Ordinal);

    private Observation Snapshot()
    {
        var ring = Sim.Read();
        var markers = new Dictionary<string, string>();
        var withData = new List<string>();
        var halfWiped = new Dictionary<string, List<string>>();
        // Each OM's `data` volume: its PVC, or without persistence the emptyDir of its pod.
        var pvcRoot = Path.Combine(work, "pvc");
        var podRoot = Path.Combine(work, "pods");
        var volumes = (Directory.Exists(pvcRoot) ? Directory.GetDirectories(pvcRoot).Select(d => (Node: Path.GetFileName(d)["data-".Length..], Dir: d)) : [])
            .Concat(Directory.Exists(podRoot)
                ? Directory.GetDirectories(podRoot).Where(d => Directory.Exists(Path.Combine(d, "volumes", "data")))
                    .Select(d => (Node: Path.GetFileName(d), Dir: Path.Combine(d, "volumes", "data")))
                : [])
            .Where(v => System.Text.RegularExpressions.Regex.IsMatch(v.Node, $"^{omName}-[0-9]+$"));
        foreach (var (node, dir) in volumes)
        {
            var marker = Path.Combine(dir, "metadata", "om-lifecycle.marker");
            if (File.Exists(marker)) markers[node] = JsonNode.Parse(File.ReadAllText(marker))!["mode"]!.GetValue<string>();
            if (File.Exists(Path.Combine(dir, "metadata", "om", "current", "VERSION"))) withData.Add(node);
            else if (Directory.Exists(Path.Combine(dir, "metadata"))
                && Directory.EnumerateFileSystemEntries(Path.Combine(dir, "metadata")).Select(Path.GetFileName).OfType<string>().Where(IsOmArtifact).Order(StringComparer.Ordinal).ToList() is { Count: > 0 } left)
                halfWiped[node] = left;
        }
        var callsFile = Path.Combine(cluster.SimState, "calls.jsonl");
        // Ozone calls made by the chart's pods and Jobs: the twin's own key checks (`ozone sh`) and exit records of long-running OMs are not counted.
        var calls = File.Exists(callsFile)
            ? File.ReadLines(callsFile).Count(l => !l.Contains("\"args\":[\"sh\"", StringComparison.Ordinal) && !OtherDaemons.Any(d => l.Contains($"\"args\":[\"{d}\"", StringComparison.Ordinal)) && !(l.Contains("\"args\":[\"om\"", StringComparison.Ordinal) && !l.Contains("\"started\":true", StringComparison.Ordinal) && !l.Contains("--init", StringComparison.Ordinal)))
            : 0;
        return new Observation(ring.Voters.OrderBy(Election.Ordinal).ToList(), ring.Leader, ring.LeaderChanges, calls, markers, withData.Order(StringComparer.Ordinal).ToList(), halfWiped);
    }

    /// <summary>Daemons of the other workloads: their runs are not calls om-lifecycle makes.</summary>
    private static readonly string[] OtherDaemons = ["scm", "datanode", "s3g", "recon"];

    private string PutKey(int step)
    {
        var key = $"/twin/bucket/step-{step}";
        var file = Path.Combine(work, $"key-{step}.txt");
        File.WriteAllText(file, $"value of step {step}");
        var code = RunOzone(["sh", "key", "put", key, file], out _);
        return code == 0 ? key : "";
    }

    private (List<string> Missing, int Count) ReadableKeys()
    {
        var missing = new List<string>();
        foreach (var key in keys.Where(k => k.Length > 0))
        {
            if (RunOzone(["sh", "key", "cat", key], out var output) != 0 || !output.StartsWith("value of step", StringComparison.Ordinal)) missing.Add(key);
        }
        return (missing, keys.Count);
    }

    /// <summary>`ozone sh` as `kubectl exec` into an OM pod runs it: as that container's user.</summary>
    private int RunOzone(string[] args, out string output)
    {
        var identity = oms.Pods.Values.FirstOrDefault() is { } pod ? runtime.IdentityOf(pod.Sandbox.Spec, pod.Sandbox.Spec.Containers[0]) : PodIdentity.Root;
        var (exe, rest) = identity.Wrap(Path.Combine(runtime.SimulatorDir, "ozone"), args);
        var info = new ProcessStartInfo(exe) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in rest) info.ArgumentList.Add(a);
        info.Environment["OZONE_SIM_STATE"] = cluster.SimState;
        using var p = Process.Start(info)!;
        output = p.StandardOutput.ReadToEnd();
        p.StandardError.ReadToEnd();
        p.WaitForExit();
        return p.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        await oms.DisposeAsync();
        foreach (var workload in workloads.Values) await workload.DisposeAsync();
        jobs.StopAll();
        dns.Dispose();
        cluster.Dispose();
    }
}
