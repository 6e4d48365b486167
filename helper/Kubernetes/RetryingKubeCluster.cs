using k8s.Autorest;
using OmLifecycle.Cli;
using OmLifecycle.Lifecycle;
using OmLifecycle.Logging;

namespace OmLifecycle.Kubernetes;

/// <summary>
/// The Kubernetes API for hook commands (scale-in, decommission, wipe, transfer-leader): a call that
/// fails transiently (429, 5xx, no answer; <see cref="ApiFailures.IsTransient"/>) is made again with
/// backoff (<see cref="ApiBackoff"/>; at least as long as a 429's Retry-After) for at most
/// <paramref name="budget"/> (timeouts.command) from its first failure. Past that the command ends
/// with exit 5 and one sentence. Every operation of <see cref="KubeCluster"/> reads before it writes
/// (the ring record, the stand-in address) or is idempotent (the scale), so calling it again after a
/// failure whose effect is unknown does not do it twice.
/// </summary>
public sealed class RetryingKubeCluster(IKubeCluster inner, TimeSpan budget, TimeSpan pollInterval, TimeProvider clock, JsonLog log) : IKubeCluster
{
    public bool Available => inner.Available;

    public Task<RingRecord?> ReadRingAsync(CancellationToken cancellationToken) =>
        RetryAsync(inner.ReadRingAsync, "read the ring record", cancellationToken);

    public Task<RingRecord> UpdateRingAsync(Func<RingRecord, RingRecord> change, CancellationToken cancellationToken) =>
        RetryAsync(t => inner.UpdateRingAsync(change, t), "update the ring record", cancellationToken);

    public Task<string?> ReadMembershipAsync(CancellationToken cancellationToken) =>
        RetryAsync(inner.ReadMembershipAsync, "read the membership", cancellationToken);

    public Task<int?> GetStatefulSetReplicasAsync(CancellationToken cancellationToken) =>
        RetryAsync(inner.GetStatefulSetReplicasAsync, "read the OM StatefulSet's size", cancellationToken);

    public Task ScaleStatefulSetAsync(int replicas, CancellationToken cancellationToken) =>
        RetryAsync(async t => { await inner.ScaleStatefulSetAsync(replicas, t); return true; }, $"scale the OM StatefulSet to {replicas}", cancellationToken);

    public Task ReleaseReplicasAsync(CancellationToken cancellationToken) =>
        RetryAsync(async t => { await inner.ReleaseReplicasAsync(t); return true; }, "release spec.replicas of the OM StatefulSet", cancellationToken);

    public Task<bool> PodExistsAsync(string podName, CancellationToken cancellationToken) =>
        RetryAsync(t => inner.PodExistsAsync(podName, t), $"read pod {podName}", cancellationToken);

    public Task<bool> PodMayRunAsync(string podName, CancellationToken cancellationToken) =>
        RetryAsync(t => inner.PodMayRunAsync(podName, t), $"read pod {podName}", cancellationToken);

    /// <summary>Best effort, as the inner client makes it: one try, a failure is logged and never ends the command.</summary>
    public async Task RecordEventAsync(string reason, string message, bool warning, CancellationToken cancellationToken)
    {
        try
        {
            await inner.RecordEventAsync(reason, message, warning, cancellationToken);
        }
        catch (Exception e) when (ApiFailures.IsTransient(e, cancellationToken))
        {
            log.Warn("kube.event", $"could not record the {reason} event ({ApiFailures.Describe(e)}); the log line says the same", ("reason", reason));
        }
    }

    public Task EnsureStandInAddressAsync(string nodeId, string ip, CancellationToken cancellationToken) =>
        RetryAsync(async t => { await inner.EnsureStandInAddressAsync(nodeId, ip, t); return true; }, $"publish the stand-in address of {nodeId}", cancellationToken);

    public Task RemoveStandInAddressAsync(string nodeId, CancellationToken cancellationToken) =>
        RetryAsync(async t => { await inner.RemoveStandInAddressAsync(nodeId, t); return true; }, $"remove the stand-in address of {nodeId}", cancellationToken);

    private async Task<T> RetryAsync<T>(Func<CancellationToken, Task<T>> call, string what, CancellationToken cancellationToken)
    {
        DateTimeOffset? firstFailure = null;
        var backoff = new ApiBackoff(pollInterval);
        for (var failures = 1; ; failures++)
        {
            try
            {
                var result = await call(cancellationToken);
                if (firstFailure is not null) log.Info("kube.available", $"the Kubernetes API answers again; could {what} after {failures - 1} failed attempts", ("failures", failures - 1));
                return result;
            }
            catch (Exception e) when (ApiFailures.IsTransient(e, cancellationToken))
            {
                var now = clock.GetUtcNow();
                firstFailure ??= now;
                var delay = backoff.Delay(failures, Random.Shared.NextDouble());
                if (RetryAfter(e) is { } asked && asked > delay) delay = asked;
                if (now + delay - firstFailure.Value > budget)
                    throw LifecycleException.Kubernetes(
                        $"The Kubernetes API kept failing ({ApiFailures.Describe(e)}) for timeouts.command ({budget.TotalSeconds:0} s, {failures} attempts) while om-lifecycle tried to {what}. " +
                        "Steps already confirmed stay done and the step in progress was not half-applied (the ring record says where it stands); once the API server answers again, run the same command (or the upgrade) again to resume.");
                log.Warn("kube.retry", $"could not {what}: the Kubernetes API failed ({ApiFailures.Describe(e)}); trying again in {delay.TotalSeconds:0.0} s",
                    ("attempt", failures), ("retryInMs", (long)delay.TotalMilliseconds));
                await Task.Delay(delay, clock, cancellationToken);
            }
        }
    }

    /// <summary>A 429's Retry-After in seconds (the API server sends whole seconds), if any.</summary>
    private static TimeSpan? RetryAfter(Exception e) =>
        e is HttpOperationException { Response.Headers: { } headers } && headers.TryGetValue("Retry-After", out var values)
        && int.TryParse(values.FirstOrDefault(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seconds)
            ? TimeSpan.FromSeconds(Math.Min(seconds, 60)) : null;
}
