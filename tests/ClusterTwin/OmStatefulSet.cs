using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace ClusterTwin;

/// <summary>
/// The StatefulSet controller for the OM StatefulSet, with its pods as real processes:
/// Parallel (or OrderedReady) creation, scale-down (Parallel: every condemned pod at once;
/// OrderedReady: from the highest ordinal, one at a time) with preStop then SIGTERM, PVCs kept
/// and reused, restart of exited containers, a rolling update in reverse
/// ordinal order when the pod template changes, and the StatefulSet's status as Kubernetes keeps
/// it (observedGeneration, revisions, replica counts), written to the API after every sync. A
/// kubelet loop runs each pod's startup, liveness and readiness probes (exec or httpGet) as the
/// kubelet does, in twin time; a failed startup or liveness probe kills the container, and exited
/// containers restart after their CrashLoopBackOff.
/// The twin runs one per StatefulSet of the release (OM, SCM, datanode, S3G, Recon); each has its
/// own last IP octet so that pod IPs never collide.
/// </summary>
public sealed class OmStatefulSet(Cluster cluster, PodRuntime runtime, string name, int subnet = 77, int hostOctet = 1) : IAsyncDisposable
{
    private readonly Dictionary<int, RunningPod> pods = [];
    private readonly Lock gate = new();
    private readonly CancellationTokenSource stop = new();
    private Task? loop;
    private Task? kubelet;
    private int syncsStarted;
    private int lastSyncDone;

    public sealed class RunningPod(PodRuntime.PodSandbox sandbox, Process process, string revision)
    {
        public PodRuntime.PodSandbox Sandbox { get; } = sandbox;
        public Process Process { get; private set; } = process;

        /// <summary>The controller revision the pod was created from (label controller-revision-hash in Kubernetes).</summary>
        public string Revision { get; } = revision;
        public bool Deleting { get; set; }

        /// <summary>The Ready condition last written to the Pod object.</summary>
        public bool ReportedReady { get; set; }

        /// <summary>A failed startup or liveness probe is stopping the container; the kubelet restarts it once it has exited.</summary>
        public bool Killing { get; set; }

        /// <summary>The probe workers of the running container; a restarted container gets new ones.</summary>
        public IReadOnlyList<ProbeWorker> Probes { get; private set; } = ProbeWorker.For(sandbox.Spec.Containers[0], DateTime.UtcNow);

        /// <summary>The pod's CrashLoopBackOff; it lives as long as the pod.</summary>
        public RestartBackoff Backoff { get; } = new();

        /// <summary>When the kubelet saw the container exit; null while it runs.</summary>
        public DateTime? ExitedAt { get; set; }

        /// <summary>Started as the kubelet says it: the startup probe succeeded, or there is none.</summary>
        public bool Started => Probes.FirstOrDefault(p => p.Kind == ProbeKind.Startup) is not { } startup || startup.Result == true;

        /// <summary>Ready as the Ready condition says it: running, started, and the readiness probe passing (or none declared).</summary>
        public bool Ready => !Process.HasExited && Started && Probes.FirstOrDefault(p => p.Kind == ProbeKind.Readiness) is not { Result: not true };

        /// <summary>A new container in the same pod: new probe workers, counted from its start.</summary>
        public void Replace(Process started)
        {
            Process = started;
            ExitedAt = null;
            Probes = ProbeWorker.For(Sandbox.Spec.Containers[0], DateTime.UtcNow);
        }
    }

    /// <summary>What the kubelet did on its own, one line each (a probe killing a container, a back-off), as `kubectl describe pod` events would say.</summary>
    public System.Collections.Concurrent.ConcurrentQueue<string> Events { get; } = new();

    /// <summary>Every container start of each pod: the first start and each restart.</summary>
    public Dictionary<string, int> Starts { get; } = [];

    /// <summary>Pod IPs are 127.&lt;subnet&gt;.&lt;ordinal&gt;.&lt;hostOctet&gt; (1 for OM), so twins on different subnets can run side by side.</summary>
    public string IpOf(int ordinal) => $"127.{subnet}.{ordinal}.{hostOctet}";

    public string Name => name;

    public string PodName(int ordinal) => $"{name}-{ordinal}";

    public IReadOnlyDictionary<int, RunningPod> Pods { get { lock (gate) return new Dictionary<int, RunningPod>(pods); } }

    public void Start()
    {
        loop = Task.Run(LoopAsync);
        kubelet = Task.Run(KubeletAsync);
    }

    /// <summary>
    /// Returns once a sync that started after this call has finished, so the status in the API
    /// accounts for everything that happened before the call (a deleted pod, a new spec).
    /// </summary>
    public async Task SyncedAsync(CancellationToken cancellationToken)
    {
        var after = Volatile.Read(ref syncsStarted);
        while (Volatile.Read(ref lastSyncDone) <= after) await Task.Delay(50, cancellationToken);
    }

    /// <summary>Deletes a pod (kubectl delete pod, graceful; or a forced delete without preStop): the controller creates it again.</summary>
    public async Task DeletePodAsync(int ordinal, bool graceful)
    {
        RunningPod? pod;
        lock (gate) pods.TryGetValue(ordinal, out pod);
        if (pod is null) return;
        await StopAsync(ordinal, pod, graceful);
    }

    /// <summary>
    /// The pod's node is lost: its containers stop at once with no preStop, but the Pod object
    /// stays Terminating, because the kubelet that would confirm the deletion is gone, and the
    /// StatefulSet controller never creates a second pod with the same identity while it exists
    /// (Kubernetes docs "Force Delete StatefulSet Pods"; pkg/controller/statefulset creates a pod
    /// only when none of that name exists). After <paramref name="recreateAfter"/> (the node coming
    /// back, or an operator's force delete) the object goes and the controller creates the pod again.
    /// </summary>
    public void LoseNode(int ordinal, TimeSpan recreateAfter)
    {
        RunningPod? pod;
        lock (gate) pods.TryGetValue(ordinal, out pod);
        if (pod is null) return;
        pod.Deleting = true;
        try { pod.Process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
        MarkTerminating(pod);
        _ = Task.Run(async () =>
        {
            try { await Task.Delay(recreateAfter, stop.Token); } catch (OperationCanceledException) { return; }
            lock (gate) { if (pods.TryGetValue(ordinal, out var same) && same == pod) pods.Remove(ordinal); }
            cluster.Delete("v1", "Pod", pod.Sandbox.Name);
        });
    }

    /// <summary>
    /// The pod's disk is lost and replaced by an empty one: the container dies with no preStop, every
    /// persistent volume it mounts comes back empty (same claim, no files), then the kubelet restarts
    /// it. Twin only: on a real cluster this means deleting the PVC and the pod by hand.
    /// </summary>
    public async Task LoseVolumeAsync(int ordinal)
    {
        RunningPod? pod;
        lock (gate) pods.TryGetValue(ordinal, out pod);
        if (pod is null) return;
        // Deleting keeps the controller from restarting the container while the volume is emptied.
        pod.Deleting = true;
        try
        {
            try { pod.Process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            await pod.Process.WaitForExitAsync();
            var claimsRoot = Path.GetFullPath(cluster.PvcDir(""));
            foreach (var dir in pod.Sandbox.Volumes.Values.Where(d => Path.GetFullPath(d).StartsWith(claimsRoot, StringComparison.Ordinal) && Directory.Exists(d)))
            {
                foreach (var file in Directory.EnumerateFiles(dir)) File.Delete(file);
                foreach (var sub in Directory.EnumerateDirectories(dir)) Directory.Delete(sub, recursive: true);
            }
        }
        finally
        {
            pod.Deleting = false;
        }
    }

    /// <summary>Kills the container's main process only (the kubelet restarts the container).</summary>
    public void KillContainer(int ordinal)
    {
        lock (gate)
        {
            if (pods.TryGetValue(ordinal, out var pod)) try { pod.Process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
        }
    }

    private async Task LoopAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            var sync = Interlocked.Increment(ref syncsStarted);
            try { await ReconcileAsync(); }
            catch (Exception e) when (e is not OperationCanceledException) { Console.Error.WriteLine($"twin: statefulset controller: {e.Message}"); }
            Volatile.Write(ref lastSyncDone, sync);
            try { await Task.Delay(150, stop.Token); } catch (OperationCanceledException) { }
        }
    }

    /// <summary>
    /// The kubelet's prober (<see cref="ProbeWorker"/>): every probe the container declares, each on
    /// its own period, never two runs of one probe at once. A startup or liveness failure past its
    /// threshold kills the container the way the kubelet does (preStop, then SIGTERM, within the
    /// grace period); the restart then follows the CrashLoopBackOff rules.
    /// </summary>
    private async Task KubeletAsync()
    {
        var running = new System.Collections.Concurrent.ConcurrentDictionary<ProbeWorker, Task>();
        while (!stop.IsCancellationRequested)
        {
            var now = DateTime.UtcNow;
            foreach (var pod in Pods.Values.Where(p => !p.Process.HasExited && !p.Deleting && !p.Killing))
            {
                var started = pod.Started;
                foreach (var worker in pod.Probes.Where(w => !running.ContainsKey(w) && w.Due(now, started)))
                    running[worker] = Task.Run(async () =>
                    {
                        try { await RunProbeAsync(pod, worker); }
                        finally { running.TryRemove(worker, out _); }
                    });
            }
            ReportReadiness();
            try { await Task.Delay(50, stop.Token); } catch (OperationCanceledException) { }
        }
        await Task.WhenAll(running.Values);
    }

    private async Task RunProbeAsync(RunningPod pod, ProbeWorker worker)
    {
        var passed = await ProbeAsync(pod, worker);
        // The container may have been replaced or stopped while the probe ran: its result belongs to no one.
        if (!pod.Probes.Contains(worker) || pod.Deleting || pod.Killing || pod.Process.HasExited) return;
        if (!worker.Record(passed, DateTime.UtcNow)) return;
        // Kubernetes v1.35 pkg/kubelet/kuberuntime/kuberuntime_container.go killContainer: a probe's own
        // terminationGracePeriodSeconds, when set, replaces the pod's for a liveness or startup kill.
        var grace = worker.Spec.TerminationGracePeriodSeconds ?? pod.Sandbox.Spec.TerminationGracePeriodSeconds ?? 30;
        Note(pod, $"{worker.Kind} probe failed {worker.Spec.FailureThreshold ?? 3} times in a row: killing the container (preStop first, grace {grace} s), it will be restarted");
        pod.Killing = true;
        try { await TerminateAsync(pod, grace, graceful: true); }
        finally { pod.Killing = false; }
    }

    private async Task<bool> ProbeAsync(RunningPod pod, ProbeWorker worker)
    {
        var container = pod.Sandbox.Spec.Containers[0];
        if (worker.Spec.HttpGet is { } get) return await HttpProbe.PassesAsync(pod.Sandbox.Ip, container, get, worker.Timeout);
        // An exec probe that outlives timeoutSeconds fails (ExecProbeTimeout, GA since v1.20).
        if (worker.Spec.Exec?.Command is { } command) return await runtime.ExecAsync(pod.Sandbox, container, command.ToList(), worker.Timeout) == 0;
        // tcpSocket and grpc probes: the chart declares none; fail loudly rather than pass unseen.
        Note(pod, $"{worker.Kind} probe has no exec or httpGet handler; the twin runs only those");
        return false;
    }

    private void Note(RunningPod pod, string what)
    {
        var line = $"{pod.Sandbox.Name}: {what}";
        Events.Enqueue(line);
        Console.Error.WriteLine($"twin: kubelet: {line}");
        try { File.AppendAllText(Path.Combine(pod.Sandbox.Dir, "kubelet.log"), $"{DateTime.UtcNow:O} {what}\n"); }
        catch (IOException) { }
    }

    /// <summary>The controller revision name of a pod template: &lt;statefulset&gt;-&lt;hash&gt;, as Kubernetes names ControllerRevisions.</summary>
    public static string RevisionOf(string statefulSet, V1PodTemplateSpec template) => $"{statefulSet}-{Hash(template)}";

    private async Task ReconcileAsync()
    {
        var sts = cluster.Get("apps/v1", "StatefulSet", name);
        if (sts is null)
        {
            // Deleted (helm uninstall): the garbage collector deletes the pods it owned, each
            // gracefully with its preStop, and the PVCs stay (Kubernetes docs, "StatefulSets",
            // PersistentVolumeClaim retention: whenDeleted defaults to Retain).
            foreach (var ordinal in Pods.Keys.OrderDescending()) await StopAsync(ordinal, Pods[ordinal], graceful: true);
            return;
        }
        var generation = sts["metadata"]?["generation"]?.GetValue<long>() ?? 1;
        var spec = KubernetesJson.Deserialize<V1StatefulSet>(sts.ToJsonString());
        var replicas = spec.Spec.Replicas ?? 1;
        var updateRevision = RevisionOf(name, spec.Spec.Template);
        var currentRevision = sts["status"]?["currentRevision"]?.GetValue<string>() is { Length: > 0 } c ? c : updateRevision;
        var parallel = spec.Spec.PodManagementPolicy == "Parallel";

        // OrderedReady is monotonic (stateful_set_control.go, processReplica): a sync stops at the first
        // replica that is missing, terminating or not Running and Ready, so nothing is scaled down or
        // updated until it is; a pod that never becomes ready stalls the StatefulSet (Kubernetes docs,
        // "StatefulSets", forced rollback). Parallel is not monotonic.
        var stalled = !parallel && Enumerable.Range(0, replicas).Any(o => !Pods.TryGetValue(o, out var p) || p.Deleting || !p.Ready);

        // Scale down (Kubernetes v1.35 stateful_set_control.go, runForAll over the condemned pods):
        // OrderedReady is monotonic, the highest ordinal first and the next only once it is gone, and
        // an unready condemned pod blocks unless it is the first unhealthy one (processCondemned);
        // Parallel deletes every condemned pod in the same sync.
        var condemned = Pods.Where(p => p.Key >= replicas).OrderByDescending(p => p.Key).ToList();
        if (parallel) await Task.WhenAll(condemned.Select(p => StopAsync(p.Key, p.Value, graceful: true)));
        else if (!stalled)
        {
            var firstUnhealthy = condemned.Where(p => !p.Value.Ready).Select(p => (int?)p.Key).LastOrDefault();
            foreach (var (ordinal, pod) in condemned)
            {
                if (!pod.Ready && ordinal != firstUnhealthy) break;
                await StopAsync(ordinal, pod, graceful: true);
            }
        }
        // Create missing pods (Parallel: all at once; OrderedReady: the next one only when all lower are ready).
        for (var ordinal = 0; ordinal < replicas; ordinal++)
        {
            if (Pods.ContainsKey(ordinal)) continue;
            if (!parallel && !AllReadyBelow(ordinal)) break;
            StartPod(ordinal, spec, updateRevision);
        }
        // Restart exited containers (restartPolicy Always), after their CrashLoopBackOff.
        foreach (var (ordinal, pod) in Pods.Where(p => p.Value.Process.HasExited && !p.Value.Deleting && !p.Value.Killing))
        {
            var now = DateTime.UtcNow;
            if (pod.ExitedAt is null)
            {
                pod.ExitedAt = now;
                if (pod.Backoff.RestartAt(now) > now) Note(pod, $"Back-off {(pod.Backoff.RestartAt(now) - now).TotalSeconds / TwinClock.Scale:0} s restarting failed container (CrashLoopBackOff)");
            }
            if (now < pod.Backoff.RestartAt(pod.ExitedAt.Value)) continue;
            pod.Backoff.Restarted(pod.ExitedAt.Value, now);
            var container = pod.Sandbox.Spec.Containers[0];
            pod.Replace(runtime.Start(pod.Sandbox, container, container.Name));
            Count(pod.Sandbox.Name);
        }
        // Rolling update (Kubernetes v1.35 pkg/controller/statefulset/stat_set_control.go, partition 0,
        // one unavailable pod): from the highest ordinal down, replace the first pod of an older
        // revision, but only while every pod above it is ready.
        for (var target = replicas - 1; target >= 0 && !stalled; target--)
        {
            if (!Pods.TryGetValue(target, out var pod)) break;
            if (pod.Revision != updateRevision && !pod.Deleting)
            {
                await StopAsync(target, pod, graceful: true);
                StartPod(target, spec, updateRevision);
                break;
            }
            if (!pod.Ready) break;
        }
        WriteStatus(generation, currentRevision, updateRevision);
    }

    /// <summary>
    /// The status the controller reports after a sync (Kubernetes v1.35 stateful_set_control.go,
    /// computeReplicaStatus and completeRollingUpdate): counts over the pods that exist, and
    /// currentRevision moves to updateRevision once every pod is updated and ready.
    /// </summary>
    private void WriteStatus(long generation, string currentRevision, string updateRevision)
    {
        var live = Pods.Values.ToList();
        var existing = live.Count;
        var ready = live.Count(p => p.Ready);
        var updated = live.Count(p => p.Revision == updateRevision);
        if (updated == existing && ready == existing) currentRevision = updateRevision;
        var status = new JsonObject
        {
            ["observedGeneration"] = generation,
            ["replicas"] = existing,
            ["readyReplicas"] = ready,
            ["availableReplicas"] = ready,
            ["currentReplicas"] = live.Count(p => p.Revision == currentRevision),
            ["updatedReplicas"] = updated,
            ["currentRevision"] = currentRevision,
            ["updateRevision"] = updateRevision,
        };
        var before = cluster.Get("apps/v1", "StatefulSet", name)?["status"];
        if (!JsonNode.DeepEquals(before, status)) cluster.PutStatus("apps/v1", "StatefulSet", name, status);
    }

    private void StartPod(int ordinal, V1StatefulSet sts, string revision)
    {
        var podName = PodName(ordinal);
        var claims = (sts.Spec.VolumeClaimTemplates ?? []).ToDictionary(t => t.Metadata.Name, t => $"{t.Metadata.Name}-{podName}");
        // The controller creates each claim once, without an owner, and reuses it for the life of the claim
        // (Kubernetes v1.35 pkg/controller/statefulset/stateful_pod_control.go, createMissingPersistentVolumeClaims).
        foreach (var template in sts.Spec.VolumeClaimTemplates ?? [])
        {
            var claim = claims[template.Metadata.Name];
            if (cluster.Get("v1", "PersistentVolumeClaim", claim) is not null) continue;
            var labels = new JsonObject();
            foreach (var (k, v) in template.Metadata.Labels ?? new Dictionary<string, string>()) labels[k] = v;
            cluster.Put(new JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "PersistentVolumeClaim",
                ["metadata"] = new JsonObject { ["name"] = claim, ["labels"] = labels },
                ["spec"] = template.Spec is null ? new JsonObject() : JsonNode.Parse(KubernetesJson.Serialize(template.Spec)),
            });
        }
        var sandbox = runtime.Prepare(podName, IpOf(ordinal), sts.Spec.Template.Spec, claims);
        // The pod's identity as the StatefulSet controller gives it (Kubernetes v1.35
        // pkg/controller/statefulset/stateful_set_utils.go, newStatefulSetPod and updateIdentity): the
        // template's labels plus statefulset.kubernetes.io/pod-name, hostname = pod name and
        // subdomain = serviceName. Its DNS name then comes from the EndpointSlice of the Service
        // named serviceName, if that Service selects these labels. Not Ready until the kubelet says so.
        var podLabels = new JsonObject();
        foreach (var (k, v) in sts.Spec.Template.Metadata?.Labels ?? new Dictionary<string, string>()) podLabels[k] = v;
        podLabels["statefulset.kubernetes.io/pod-name"] = podName;
        podLabels["controller-revision-hash"] = revision;
        cluster.Put(new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = new JsonObject { ["name"] = podName, ["labels"] = podLabels },
            ["spec"] = new JsonObject { ["hostname"] = podName, ["subdomain"] = sts.Spec.ServiceName },
            ["status"] = PodStatus(IpOf(ordinal), ready: false),
        });
        foreach (var init in sts.Spec.Template.Spec.InitContainers ?? [])
        {
            // The helper image's install step: the twin runs the published binary directly.
            if (init.Args?.FirstOrDefault() == "install") continue;
            runtime.Start(sandbox, init, init.Name).WaitForExit();
        }
        var container = sandbox.Spec.Containers[0];
        var process = runtime.Start(sandbox, container, container.Name);
        Count(podName);
        lock (gate) pods[ordinal] = new RunningPod(sandbox, process, revision);
    }

    /// <summary>
    /// A pod deletion: the API server marks the pod at once (metadata.deletionTimestamp, so its
    /// endpoint turns terminating), the container stops (<see cref="TerminateAsync"/>), then the Pod object goes.
    /// </summary>
    private async Task StopAsync(int ordinal, RunningPod pod, bool graceful)
    {
        pod.Deleting = true;
        MarkTerminating(pod);
        await TerminateAsync(pod, pod.Sandbox.Spec.TerminationGracePeriodSeconds ?? 30, graceful);
        lock (gate) pods.Remove(ordinal);
        cluster.Delete("v1", "Pod", pod.Sandbox.Name);
    }

    /// <summary>
    /// A container stopped as the kubelet does it (<see cref="ContainerTermination"/>), its preStop hook
    /// within the grace period. Not graceful: SIGKILL at once, no preStop (a forced delete).
    /// </summary>
    private async Task TerminateAsync(RunningPod pod, long graceSeconds, bool graceful)
    {
        var container = pod.Sandbox.Spec.Containers[0];
        if (!graceful) { await ContainerTermination.KillAsync(pod.Process); return; }
        var preStop = container.Lifecycle?.PreStop?.Exec?.Command;
        await ContainerTermination.StopAsync(pod.Process, graceSeconds,
            preStop is null ? null : async deadline => await runtime.ExecAsync(pod.Sandbox, container, preStop.ToList(), deadline));
    }

    private void MarkTerminating(RunningPod pod)
    {
        if (cluster.Get("v1", "Pod", pod.Sandbox.Name) is not { } obj || obj["metadata"]?["deletionTimestamp"] is not null) return;
        obj["metadata"]!["deletionTimestamp"] = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ");
        cluster.Put(obj);
    }

    /// <summary>
    /// The kubelet's status manager: the pod's Ready condition in the API follows what the probes
    /// found (Kubernetes v1.35 pkg/kubelet/status/status_manager.go; the prober's result feeds the
    /// Ready condition). Only a change is written, as the status manager skips unchanged statuses.
    /// </summary>
    private void ReportReadiness()
    {
        foreach (var pod in Pods.Values)
        {
            var ready = pod.Ready && !pod.Deleting;
            if (pod.ReportedReady == ready) continue;
            var status = PodStatus(pod.Sandbox.Ip, ready);
            if (cluster.PutStatus("v1", "Pod", pod.Sandbox.Name, status) is null) continue;
            pod.ReportedReady = ready;
        }
    }

    private static JsonObject PodStatus(string ip, bool ready) => new()
    {
        ["podIP"] = ip,
        ["phase"] = "Running",
        ["conditions"] = new JsonArray(new JsonObject { ["type"] = "Ready", ["status"] = ready ? "True" : "False" }),
    };

    /// <summary>Whether the pod's Ready condition holds, as the kubelet last found it.</summary>
    public bool IsReady(int ordinal) => Pods.TryGetValue(ordinal, out var pod) && pod.Ready;

    private bool AllReadyBelow(int ordinal) => Enumerable.Range(0, ordinal).All(IsReady);

    /// <summary>
    /// The kubelet's next sync of the running pods' ConfigMap volumes, after a change to the
    /// ConfigMaps (<see cref="TwinClock.KubeletConfigMapSync"/>); a pod created meanwhile starts with
    /// the new content.
    /// </summary>
    public void SyncConfigMapsLater()
    {
        _ = Task.Run(async () =>
        {
            try { await Task.Delay(TwinClock.Of(TwinClock.KubeletConfigMapSync), stop.Token); } catch (OperationCanceledException) { return; }
            foreach (var pod in Pods.Values)
            {
                // A pod deleted meanwhile has no volumes left to refresh.
                try { runtime.RefreshConfigMaps(pod.Sandbox); } catch (IOException) { }
            }
        });
    }

    private void Count(string pod)
    {
        lock (Starts) Starts[pod] = Starts.GetValueOrDefault(pod) + 1;
    }

    private static string Hash(V1PodTemplateSpec template) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(KubernetesJson.Serialize(template))))[..10].ToLowerInvariant();

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        if (loop is not null) await loop;
        if (kubelet is not null) await kubelet;
        foreach (var (ordinal, pod) in Pods) { try { pod.Process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { } }
    }

}
