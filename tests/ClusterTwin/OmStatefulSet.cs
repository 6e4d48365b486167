using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace ClusterTwin;

/// <summary>
/// The StatefulSet controller for the OM StatefulSet, with its pods as real processes:
/// Parallel (or OrderedReady) creation, scale-down from the highest ordinal with preStop then
/// SIGTERM, PVCs kept and reused, restart of exited containers, and a rolling update in reverse
/// ordinal order when the pod template changes.
/// </summary>
public sealed class OmStatefulSet(Cluster cluster, PodRuntime runtime, string name, string hostsFile, int subnet = 77) : IAsyncDisposable
{
    private readonly Dictionary<int, RunningPod> pods = [];
    private readonly Lock gate = new();
    private readonly CancellationTokenSource stop = new();
    private Task? loop;

    public sealed class RunningPod(PodRuntime.PodSandbox sandbox, Process process, string templateHash)
    {
        public PodRuntime.PodSandbox Sandbox { get; } = sandbox;
        public Process Process { get; set; } = process;
        public string TemplateHash { get; } = templateHash;
        public bool Deleting { get; set; }
    }

    /// <summary>Every container start of each pod: the first start and each restart.</summary>
    public Dictionary<string, int> Starts { get; } = [];

    /// <summary>Pod IPs are 127.&lt;subnet&gt;.&lt;ordinal&gt;.1, so twins on different subnets can run side by side.</summary>
    public string IpOf(int ordinal) => $"127.{subnet}.{ordinal}.1";

    public string PodName(int ordinal) => $"{name}-{ordinal}";

    public IReadOnlyDictionary<int, RunningPod> Pods { get { lock (gate) return new Dictionary<int, RunningPod>(pods); } }

    public void Start() => loop = Task.Run(LoopAsync);

    /// <summary>Deletes a pod (kubectl delete pod): the controller creates it again.</summary>
    public async Task DeletePodAsync(int ordinal, bool graceful)
    {
        RunningPod? pod;
        lock (gate) pods.TryGetValue(ordinal, out pod);
        if (pod is null) return;
        await StopAsync(ordinal, pod, graceful);
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
            try { await ReconcileAsync(); }
            catch (Exception e) when (e is not OperationCanceledException) { Console.Error.WriteLine($"twin: statefulset controller: {e.Message}"); }
            try { await Task.Delay(150, stop.Token); } catch (OperationCanceledException) { }
        }
    }

    private async Task ReconcileAsync()
    {
        var sts = cluster.Get("apps/v1", "StatefulSet", name);
        if (sts is null) return;
        var spec = KubernetesJson.Deserialize<V1StatefulSet>(sts.ToJsonString());
        var replicas = spec.Spec.Replicas ?? 1;
        var hash = Hash(spec.Spec.Template);
        var parallel = spec.Spec.PodManagementPolicy == "Parallel";

        // Scale down: highest ordinal first, one at a time.
        foreach (var ordinal in Pods.Keys.Where(o => o >= replicas).OrderDescending())
        {
            await StopAsync(ordinal, Pods[ordinal], graceful: true);
        }
        // Create missing pods (Parallel: all at once; OrderedReady: the next one only when all lower are ready).
        for (var ordinal = 0; ordinal < replicas; ordinal++)
        {
            if (Pods.ContainsKey(ordinal)) continue;
            if (!parallel && !await AllReadyBelowAsync(ordinal)) break;
            StartPod(ordinal, spec, hash);
        }
        // Restart exited containers (restartPolicy Always).
        foreach (var (ordinal, pod) in Pods.Where(p => p.Value.Process.HasExited && !p.Value.Deleting))
        {
            var container = pod.Sandbox.Spec.Containers[0];
            pod.Process = runtime.Start(pod.Sandbox, container, container.Name);
            Count(pod.Sandbox.Name);
        }
        // Rolling update: reverse ordinal order, one pod at a time, each ready before the next.
        var stale = Pods.Where(p => p.Value.TemplateHash != hash).Select(p => p.Key).OrderDescending().FirstOrDefault(-1);
        if (stale >= 0)
        {
            await StopAsync(stale, Pods[stale], graceful: true);
            StartPod(stale, spec, hash);
            await WaitReadyAsync(stale, TimeSpan.FromMinutes(2));
        }
    }

    private void StartPod(int ordinal, V1StatefulSet sts, string hash)
    {
        var podName = PodName(ordinal);
        var claims = (sts.Spec.VolumeClaimTemplates ?? []).ToDictionary(t => t.Metadata.Name, t => $"{t.Metadata.Name}-{podName}");
        var sandbox = runtime.Prepare(podName, IpOf(ordinal), sts.Spec.Template.Spec, claims);
        var fqdn = $"{podName}.{sts.Spec.ServiceName}.{cluster.Namespace}.svc.cluster.local";
        cluster.Put(new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = new JsonObject { ["name"] = podName, ["annotations"] = new JsonObject { ["twin/fqdn"] = fqdn } },
            ["status"] = new JsonObject { ["podIP"] = IpOf(ordinal), ["phase"] = "Running" },
        });
        cluster.PublishDns(hostsFile);
        foreach (var init in sts.Spec.Template.Spec.InitContainers ?? [])
        {
            // The helper image's install step: the twin runs the published binary directly.
            if (init.Args?.FirstOrDefault() == "install") continue;
            runtime.Start(sandbox, init, init.Name).WaitForExit();
        }
        var container = sandbox.Spec.Containers[0];
        var process = runtime.Start(sandbox, container, container.Name);
        Count(podName);
        lock (gate) pods[ordinal] = new RunningPod(sandbox, process, hash);
    }

    private async Task StopAsync(int ordinal, RunningPod pod, bool graceful)
    {
        pod.Deleting = true;
        var container = pod.Sandbox.Spec.Containers[0];
        if (graceful && container.Lifecycle?.PreStop?.Exec?.Command is { } preStop && !pod.Process.HasExited)
            await runtime.ExecAsync(pod.Sandbox, container, preStop.ToList(), TimeSpan.FromSeconds(60));
        if (!pod.Process.HasExited)
        {
            if (graceful) _ = Signal(pod.Process.Id, 15);
            else pod.Process.Kill(entireProcessTree: true);
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try { await pod.Process.WaitForExitAsync(cts.Token); }
            catch (OperationCanceledException) { pod.Process.Kill(entireProcessTree: true); }
        }
        lock (gate) pods.Remove(ordinal);
        cluster.Delete("v1", "Pod", pod.Sandbox.Name);
        cluster.PublishDns(hostsFile);
    }

    public async Task<bool> IsReadyAsync(int ordinal)
    {
        if (!Pods.TryGetValue(ordinal, out var pod) || pod.Process.HasExited) return false;
        var container = pod.Sandbox.Spec.Containers[0];
        var probe = container.ReadinessProbe?.Exec?.Command;
        return probe is null || await runtime.ExecAsync(pod.Sandbox, container, probe.ToList(), TimeSpan.FromSeconds(20)) == 0;
    }

    public async Task<bool> WaitReadyAsync(int ordinal, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (DateTime.UtcNow < deadline)
        {
            if (await IsReadyAsync(ordinal)) return true;
            await Task.Delay(300);
        }
        return false;
    }

    private async Task<bool> AllReadyBelowAsync(int ordinal)
    {
        for (var i = 0; i < ordinal; i++)
        {
            if (!await IsReadyAsync(i)) return false;
        }
        return true;
    }

    /// <summary>Refreshes mounted ConfigMaps in every running pod (the kubelet's periodic sync).</summary>
    public void SyncConfigMaps()
    {
        foreach (var pod in Pods.Values) runtime.RefreshConfigMaps(pod.Sandbox);
    }

    private void Count(string pod)
    {
        lock (Starts) Starts[pod] = Starts.GetValueOrDefault(pod) + 1;
    }

    private static string Hash(V1PodTemplateSpec template) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(KubernetesJson.Serialize(template))))[..16];

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        if (loop is not null) await loop;
        foreach (var (ordinal, pod) in Pods) { try { pod.Process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { } }
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill")]
    private static extern int Signal(int pid, int sig);
}
