using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json.Nodes;
using k8s.Models;

namespace ClusterTwin;

/// <summary>
/// The Job controller for the release's hook Jobs (restartPolicy Never, one completion), with
/// each attempt's pod run as local processes: a failed pod is followed by a new pod after the
/// retry backoff (<see cref="RetryDelay"/>) until backoffLimit (default 6) failures have been
/// retried; activeDeadlineSeconds, counted from the Job's start, fails the Job and terminates its
/// running pod (Kubernetes v1.35 pkg/controller/job/job_controller.go; docs "Jobs": "Pod backoff
/// failure policy" and "Job termination and cleanup"). Deleting a Job stops its pod and retries.
/// </summary>
public sealed class JobController(Cluster cluster, PodRuntime runtime)
{
    /// <summary>Why a Job failed, as its Failed condition's reason says it.</summary>
    public const string BackoffLimitExceeded = "BackoffLimitExceeded";

    public const string DeadlineExceeded = "DeadlineExceeded";

    /// <summary>The outcome of a Job: complete, or failed with a reason after some attempts.</summary>
    public sealed record Outcome(bool Succeeded, string? Reason, int Attempts);

    private readonly ConcurrentDictionary<string, CancellationTokenSource> deletions = new();

    /// <summary>The processes of Jobs while they run, for the fault injector.</summary>
    public ConcurrentDictionary<string, (Process Process, PodRuntime.PodSandbox Sandbox)> Running { get; } = new();

    /// <summary>Pod creations of each Job, in order, with the time each was made (what `kubectl get pods -l job-name=…` lists).</summary>
    public ConcurrentDictionary<string, List<DateTime>> PodsCreated { get; } = new();

    /// <summary>
    /// The pause before the next pod after <paramref name="failures"/> failed pods: 10 s, doubling,
    /// capped at six minutes (docs "Jobs", "Pod backoff failure policy": "10s, 20s, 40s ... capped
    /// at six minutes"), in twin time.
    /// </summary>
    public static TimeSpan RetryDelay(int failures) =>
        TwinClock.OfSeconds(Math.Min(10 * Math.Pow(2, Math.Max(failures, 1) - 1), 360));

    /// <summary>Runs the Job until it completes, fails or is deleted.</summary>
    public async Task<Outcome> RunToEndAsync(V1Job job)
    {
        var name = job.Metadata.Name;
        var deleted = new CancellationTokenSource();
        deletions[name] = deleted;
        using var deadline = job.Spec.ActiveDeadlineSeconds is { } seconds ? TwinDeadline.Start(TwinClock.OfSeconds(seconds)) : null;
        using var ended = CancellationTokenSource.CreateLinkedTokenSource(deleted.Token, deadline?.Token ?? CancellationToken.None);
        var backoffLimit = job.Spec.BackoffLimit ?? 6;
        var failures = 0;
        while (!ended.IsCancellationRequested)
        {
            if (await RunPodAsync(job, ended.Token)) return new Outcome(true, null, failures + 1);
            if (ended.IsCancellationRequested) break;
            failures++;
            // The Job fails once its failed pods exceed backoffLimit (job_controller.go exceedsBackoffLimit).
            if (failures > backoffLimit) return new Outcome(false, BackoffLimitExceeded, failures);
            try { await Task.Delay(RetryDelay(failures), ended.Token); }
            catch (OperationCanceledException) { break; }
        }
        var attempts = PodsCreated.TryGetValue(name, out var pods) ? pods.Count : failures;
        return new Outcome(false, deleted.IsCancellationRequested ? "Deleted" : DeadlineExceeded, attempts);
    }

    /// <summary>
    /// Deletes a Job with background propagation (Helm's default for hook deletion): the Job object
    /// goes at once; the garbage collector then deletes its pod, which terminates like any pod
    /// (SIGTERM, SIGKILL after terminationGracePeriodSeconds, twin time).
    /// </summary>
    public void Delete(string name)
    {
        cluster.Delete("batch/v1", "Job", name);
        if (deletions.TryRemove(name, out var deleted)) deleted.Cancel();
    }

    /// <summary>Stops every Job (the twin is going away).</summary>
    public void StopAll()
    {
        foreach (var deleted in deletions.Values) deleted.Cancel();
        foreach (var job in Running.Values) { try { job.Process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { } }
    }

    /// <summary>One attempt: a new pod, its init containers in order, then the container; success is exit 0 of each. The Pod object says Running, then Succeeded or Failed.</summary>
    private async Task<bool> RunPodAsync(V1Job job, CancellationToken stop)
    {
        var name = job.Metadata.Name;
        // Each attempt is a new pod with a generated name (<job>-<5 random characters>, apiserver
        // generateName with k8s.io/apimachinery/pkg/util/rand.String's alphabet), never a reused one.
        var podName = $"{name}-{string.Concat(Enumerable.Range(0, 5).Select(_ => PodNameAlphabet[Random.Shared.Next(PodNameAlphabet.Length)]))}";
        PodsCreated.AddOrUpdate(name, _ => [DateTime.UtcNow], (_, list) => { lock (list) list.Add(DateTime.UtcNow); return list; });
        PutPod(podName, name, "Pending");
        if (!await ClaimsBoundAsync(podName, job.Spec.Template.Spec, stop))
        {
            cluster.Delete("v1", "Pod", podName);
            return false;
        }
        var sandbox = runtime.Prepare(podName, "127.0.0.1", job.Spec.Template.Spec);
        PutPod(podName, name, "Running");
        var ok = true;
        foreach (var container in (job.Spec.Template.Spec.InitContainers ?? []).Concat(job.Spec.Template.Spec.Containers))
        {
            // The helper image's install step: the twin runs the published binary directly.
            if (container.Args?.FirstOrDefault() == "install") continue;
            if (stop.IsCancellationRequested) { ok = false; break; }
            using var process = runtime.Start(sandbox, container, container.Name);
            Running[name] = (process, sandbox);
            using (stop.Register(() => _ = ContainerTermination.StopAsync(process, job.Spec.Template.Spec.TerminationGracePeriodSeconds ?? 30)))
                await process.WaitForExitAsync();
            Running.TryRemove(new KeyValuePair<string, (Process, PodRuntime.PodSandbox)>(name, (process, sandbox)));
            if (process.ExitCode != 0 || stop.IsCancellationRequested) { ok = false; break; }
        }
        // A deleted Job's pods go with it, and a Job past its deadline deletes its active pods (job_controller.go deleteActivePods).
        if (stop.IsCancellationRequested) cluster.Delete("v1", "Pod", podName);
        else PutPod(podName, name, ok ? "Succeeded" : "Failed");
        return ok;
    }

    /// <summary>
    /// A pod that names a PersistentVolumeClaim the API does not have is not scheduled: it stays
    /// Pending ("persistentvolumeclaim \"…\" not found", kube-scheduler's VolumeBinding plugin,
    /// Kubernetes v1.35) until the claim exists or the pod is deleted. False when stopped first.
    /// </summary>
    private async Task<bool> ClaimsBoundAsync(string podName, V1PodSpec spec, CancellationToken stop)
    {
        var claims = (spec.Volumes ?? []).Where(v => v.PersistentVolumeClaim is not null).Select(v => v.PersistentVolumeClaim.ClaimName).ToList();
        var said = false;
        while (claims.FirstOrDefault(c => cluster.Get("v1", "PersistentVolumeClaim", c) is null) is { } missing)
        {
            if (!said) Console.Error.WriteLine($"twin: scheduler: pod {podName} stays Pending: persistentvolumeclaim \"{missing}\" not found");
            said = true;
            try { await Task.Delay(100, stop); }
            catch (OperationCanceledException) { return false; }
        }
        return true;
    }

    private const string PodNameAlphabet = "bcdfghjklmnpqrstvwxz2456789";

    private void PutPod(string podName, string job, string phase) => cluster.Put(new JsonObject
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Pod",
        ["metadata"] = new JsonObject { ["name"] = podName, ["labels"] = new JsonObject { ["job-name"] = job } },
        ["status"] = new JsonObject { ["phase"] = phase },
    });
}
