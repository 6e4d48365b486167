using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using OmLifecycle.Logging;
using OmLifecycle.Membership;

namespace OmLifecycle.Kubernetes;

/// <summary>The Kubernetes API through KubernetesClient: in a pod its service account, else a kubeconfig.</summary>
public sealed class KubeCluster(IKubernetes? client, MembershipDocument doc, string ns, JsonLog log, string? reporter = null) : IKubeCluster
{
    public const string ManagedBy = "om-lifecycle";

    public bool Available => client is not null;

    private string Headless => doc.HeadlessService;

    /// <summary>
    /// Connects from OM_LIFECYCLE_KUBECONFIG when set, else in-cluster; null when neither exists.
    /// Each request gives up after <paramref name="requestTimeout"/> (the client's default is 100 s):
    /// an API server that takes a connection and never answers must not hold start's loop, and so
    /// its heartbeat, for longer than the liveness probe allows.
    /// </summary>
    public static IKubernetes? Connect(string? kubeconfig, TimeSpan requestTimeout)
    {
        var config = !string.IsNullOrEmpty(kubeconfig) ? KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig)
            : KubernetesClientConfiguration.IsInCluster() ? KubernetesClientConfiguration.InClusterConfig() : null;
        if (config is null) return null;
        config.HttpClientTimeout = requestTimeout;
        return new k8s.Kubernetes(config);
    }

    public async Task<RingRecord?> ReadRingAsync(CancellationToken cancellationToken)
    {
        if (client is null) return null;
        var map = await GetOrNull(() => client.CoreV1.ReadNamespacedConfigMapAsync(doc.RingConfigMap, ns, cancellationToken: cancellationToken));
        if (map is null) return null;
        // A record an earlier install of this release left behind describes a ring that no longer exists.
        return ReleaseOwnership.IsCurrent(map.Metadata, await ReadOwnerAsync(client, cancellationToken)) ? RingRecord.FromData(map.Data) : null;
    }

    /// <summary>The OM StatefulSet the tool's objects belong to, or null when it does not exist.</summary>
    private Task<V1StatefulSet?> ReadOwnerAsync(IKubernetes api, CancellationToken cancellationToken) =>
        GetOrNull(() => api.AppsV1.ReadNamespacedStatefulSetAsync(doc.StatefulSet, ns, cancellationToken: cancellationToken));

    public async Task<RingRecord> UpdateRingAsync(Func<RingRecord, RingRecord> change, CancellationToken cancellationToken)
    {
        var api = Require();
        for (var attempt = 1; ; attempt++)
        {
            var map = await GetOrNull(() => api.CoreV1.ReadNamespacedConfigMapAsync(doc.RingConfigMap, ns, cancellationToken: cancellationToken));
            var owner = await ReadOwnerAsync(api, cancellationToken);
            var stale = map is not null && !ReleaseOwnership.IsCurrent(map.Metadata, owner);
            if (stale)
            {
                log.Warn("kube.stale-record", $"{doc.RingConfigMap} was left by an earlier install of release {doc.Release} (it does not belong to StatefulSet {doc.StatefulSet} as it is now); starting a new record");
                map!.Metadata.OwnerReferences = owner is null ? null : [ReleaseOwnership.To(owner)];
            }
            else if (map is not null && owner is not null) ReleaseOwnership.Adopt(map.Metadata, owner);
            var next = change(stale ? RingRecord.Empty : RingRecord.FromData(map?.Data)) with { UpdatedAt = DateTimeOffset.UtcNow };
            var data = next.ToData().ToDictionary(kv => kv.Key, kv => kv.Value);
            try
            {
                if (map is null)
                {
                    await api.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap
                    {
                        Metadata = new V1ObjectMeta
                        {
                            Name = doc.RingConfigMap,
                            NamespaceProperty = ns,
                            // Deleted with the StatefulSet by the garbage collector, so `helm uninstall` leaves no ring behind.
                            OwnerReferences = owner is null ? null : [ReleaseOwnership.To(owner)],
                            Labels = new Dictionary<string, string>
                            {
                                ["app.kubernetes.io/managed-by"] = ManagedBy,
                                ["app.kubernetes.io/instance"] = doc.Release,
                                ["app.kubernetes.io/component"] = "om",
                            },
                        },
                        Data = data,
                    }, ns, cancellationToken: cancellationToken);
                }
                else
                {
                    map.Data = data;
                    await api.CoreV1.ReplaceNamespacedConfigMapAsync(map, doc.RingConfigMap, ns, cancellationToken: cancellationToken);
                }
                return next;
            }
            catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Conflict && attempt < 10)
            {
                log.Warn("kube.conflict", "the ring ConfigMap changed under us; reading it again", ("attempt", attempt));
            }
        }
    }

    public async Task<string?> ReadMembershipAsync(CancellationToken cancellationToken)
    {
        if (client is null) return null;
        var map = await GetOrNull(() => client.CoreV1.ReadNamespacedConfigMapAsync(doc.MembershipConfigMap, ns, cancellationToken: cancellationToken));
        return map?.Data is { } data && data.TryGetValue("membership.yaml", out var text) ? text : null;
    }

    public async Task<int?> GetStatefulSetReplicasAsync(CancellationToken cancellationToken)
    {
        var scale = await GetOrNull(() => Require().AppsV1.ReadNamespacedStatefulSetScaleAsync(doc.StatefulSet, ns, cancellationToken: cancellationToken));
        return scale?.Spec?.Replicas;
    }

    public async Task ScaleStatefulSetAsync(int replicas, CancellationToken cancellationToken)
    {
        var patch = new V1Patch($"{{\"spec\":{{\"replicas\":{replicas}}}}}", V1Patch.PatchType.MergePatch);
        await Require().AppsV1.PatchNamespacedStatefulSetScaleAsync(patch, doc.StatefulSet, ns, fieldManager: ManagedBy, cancellationToken: cancellationToken);
        log.Info("kube.scale", $"scaled StatefulSet {doc.StatefulSet} to {replicas}", ("replicas", replicas));
        await ReleaseReplicasAsync(cancellationToken);
    }

    public async Task ReleaseReplicasAsync(CancellationToken cancellationToken)
    {
        // A scale write makes om-lifecycle the owner of spec.replicas. Helm 4 applies server-side and
        // would then refuse the next size change as a conflict with us, so we drop our managedFields
        // entry: the value stays, and Helm owns the field again on its next apply.
        var api = Require();
        for (var attempt = 1; ; attempt++)
        {
            var sts = await ReadOwnerAsync(api, cancellationToken);
            var patch = sts is null ? null : ReplicasOwnership.ReleasePatch(sts.Metadata, ManagedBy);
            if (patch is null) return;
            try
            {
                await api.AppsV1.PatchNamespacedStatefulSetAsync(new V1Patch(patch, V1Patch.PatchType.JsonPatch), doc.StatefulSet, ns, cancellationToken: cancellationToken);
                log.Info("kube.release", $"om-lifecycle no longer owns spec.replicas of {doc.StatefulSet}, so Helm's next server-side apply does not conflict");
                return;
            }
            catch (HttpOperationException e) when (e.Response.StatusCode is HttpStatusCode.Conflict or HttpStatusCode.UnprocessableEntity && attempt < 10)
            {
                log.Warn("kube.conflict", "the StatefulSet changed while releasing spec.replicas; reading it again", ("attempt", attempt));
            }
            catch (HttpOperationException e) when (e.Response.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.Conflict or HttpStatusCode.UnprocessableEntity)
            {
                // Not a safety matter: the ring is right either way. Say what the next Helm 4 upgrade may need.
                log.Warn("kube.release", $"could not release spec.replicas of {doc.StatefulSet} ({(int)e.Response.StatusCode}); a later Helm 4 size change may report a conflict with om-lifecycle: rerun it with --force-conflicts",
                    ("status", (int)e.Response.StatusCode));
                return;
            }
        }
    }

    public async Task<bool> PodExistsAsync(string podName, CancellationToken cancellationToken) =>
        await GetOrNull(() => Require().CoreV1.ReadNamespacedPodAsync(podName, ns, cancellationToken: cancellationToken)) is not null;

    public async Task<bool> PodMayRunAsync(string podName, CancellationToken cancellationToken) =>
        await GetOrNull(() => Require().CoreV1.ReadNamespacedPodAsync(podName, ns, cancellationToken: cancellationToken)) is { } pod
        && pod.Status?.Phase is not ("Succeeded" or "Failed");

    public async Task RecordEventAsync(string reason, string message, bool warning, CancellationToken cancellationToken)
    {
        if (client is null) return;
        var now = DateTime.UtcNow;
        try
        {
            await client.CoreV1.CreateNamespacedEventAsync(new Corev1Event
            {
                Metadata = new V1ObjectMeta { Name = $"{doc.StatefulSet}.{now.Ticks:x}", NamespaceProperty = ns },
                InvolvedObject = new V1ObjectReference { ApiVersion = "apps/v1", Kind = "StatefulSet", Name = doc.StatefulSet, NamespaceProperty = ns },
                Reason = reason,
                // Events keep at most 1024 characters of message.
                Message = message.Length > 1024 ? message[..1021] + "..." : message,
                Type = warning ? "Warning" : "Normal",
                Source = new V1EventSource { Component = ManagedBy },
                ReportingComponent = ManagedBy,
                ReportingInstance = reporter ?? ManagedBy,
                FirstTimestamp = now,
                LastTimestamp = now,
                Count = 1,
            }, ns, cancellationToken: cancellationToken);
        }
        catch (Exception e) when (e is HttpOperationException or HttpRequestException)
        {
            var why = e is HttpOperationException http ? ((int)http.Response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture) : e.Message;
            log.Warn("kube.event", $"could not record the {reason} event ({why}); the log line above says the same", ("reason", reason));
        }
    }

    public async Task EnsureStandInAddressAsync(string nodeId, string ip, CancellationToken cancellationToken)
    {
        var api = Require();
        var name = StandInName(nodeId);
        var owner = await ReadOwnerAsync(api, cancellationToken);
        if (await GetOrNull(() => api.DiscoveryV1.ReadNamespacedEndpointSliceAsync(name, ns, cancellationToken: cancellationToken)) is { } existing)
        {
            if (ReleaseOwnership.IsCurrent(existing.Metadata, owner)) return;
            // Left by a Job of an earlier install: its address may be another pod's now.
            await RemoveStandInAddressAsync(nodeId, cancellationToken);
        }
        await api.DiscoveryV1.CreateNamespacedEndpointSliceAsync(new V1EndpointSlice
        {
            Metadata = new V1ObjectMeta
            {
                Name = name,
                NamespaceProperty = ns,
                Labels = new Dictionary<string, string>
                {
                    ["kubernetes.io/service-name"] = Headless,
                    ["endpointslice.kubernetes.io/managed-by"] = ManagedBy,
                    ["app.kubernetes.io/instance"] = doc.Release,
                },
                OwnerReferences = owner is null ? null : [ReleaseOwnership.To(owner)],
            },
            AddressType = ip.Contains(':', StringComparison.Ordinal) ? "IPv6" : "IPv4",
            Endpoints = [new V1Endpoint { Addresses = [ip], Hostname = nodeId, Conditions = new V1EndpointConditions { Ready = true } }],
            Ports = [new Discoveryv1EndpointPort { Name = "rpc", Port = doc.Ports.Rpc, Protocol = "TCP" }],
        }, ns, cancellationToken: cancellationToken);
        log.Info("kube.standin", $"{nodeId}.{Headless} now resolves to {ip} for Ozone's decommission check", ("node", nodeId));
    }

    public async Task RemoveStandInAddressAsync(string nodeId, CancellationToken cancellationToken)
    {
        try
        {
            await Require().DiscoveryV1.DeleteNamespacedEndpointSliceAsync(StandInName(nodeId), ns, cancellationToken: cancellationToken);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
        }
    }

    private string StandInName(string nodeId) => $"{nodeId}-stand-in";

    private IKubernetes Require() => client ?? throw Cli.LifecycleException.Refused(
        "This command needs the Kubernetes API, but om-lifecycle runs outside a pod and OM_LIFECYCLE_KUBECONFIG is not set. Run it in an OM pod or hook Job, or point OM_LIFECYCLE_KUBECONFIG at a kubeconfig.");

    private static async Task<T?> GetOrNull<T>(Func<Task<T>> read) where T : class
    {
        try
        {
            return await read();
        }
        // Only the API server's own NotFound Status means "absent"; a 404 page from a proxy or a wrong URL is an error.
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound && e.Response.Content?.Contains("\"kind\":\"Status\"", StringComparison.Ordinal) != false)
        {
            return null;
        }
    }
}
