using System.Text.Json.Nodes;

namespace ClusterTwin;

/// <summary>
/// Kubernetes' EndpointSlice controller (v1.35 pkg/controller/endpointslice, with the rules of
/// staging/src/k8s.io/endpointslice): for every Service with a selector, one EndpointSlice labelled
/// kubernetes.io/service-name and managed-by endpointslice-controller.k8s.io that lists the selected
/// pods. Pod DNS names come only from these slices (and from slices others write), so a pod has a
/// name exactly when it is listed here, ready, behind a headless Service (<see cref="Cluster.PublishDns"/>).
/// Runs on every Pod or Service change, at once; the real controller is asynchronous, so the twin is
/// never slower than a cluster here, only as strict.
/// </summary>
public sealed class EndpointSliceController(Cluster cluster)
{
    /// <summary>The managed-by value of the controller's own slices (k8s.io/endpointslice, ControllerName).</summary>
    public const string ManagedBy = "endpointslice-controller.k8s.io";

    private readonly Lock gate = new();

    public void Sync()
    {
        lock (gate) SyncLocked();
    }

    private void SyncLocked()
    {
        var services = cluster.Api.Store.List(Cluster.Kind("v1", "Service"), cluster.Namespace);
        var pods = cluster.Api.Store.List(Cluster.Kind("v1", "Pod"), cluster.Namespace);
        var wanted = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        foreach (var service in services)
        {
            // A Service without a selector gets no managed slice: its endpoints are whatever someone writes by hand.
            if (service["spec"]?["selector"] is not JsonObject { Count: > 0 } selector) continue;
            var slice = SliceFor(service, pods.Where(p => Selects(selector, p)));
            wanted[slice["metadata"]!["name"]!.GetValue<string>()] = slice;
        }
        foreach (var (name, slice) in wanted)
        {
            var live = cluster.Get("discovery.k8s.io/v1", "EndpointSlice", name);
            if (live is null || !JsonNode.DeepEquals(live["endpoints"], slice["endpoints"])) cluster.Put(slice);
        }
        // A Service deleted or without a selector any more: its managed slice goes.
        foreach (var stale in cluster.Api.Store.List(Cluster.Kind("discovery.k8s.io/v1", "EndpointSlice"), cluster.Namespace))
        {
            var name = stale["metadata"]!["name"]!.GetValue<string>();
            if (stale["metadata"]?["labels"]?["endpointslice.kubernetes.io/managed-by"]?.GetValue<string>() == ManagedBy && !wanted.ContainsKey(name))
                cluster.Delete("discovery.k8s.io/v1", "EndpointSlice", name);
        }
    }

    /// <summary>The slice's name: Kubernetes generates &lt;service&gt;-&lt;5 random characters&gt;; the twin's suffix is fixed per Service.</summary>
    public static string SliceName(string service) => $"{service}-twin0";

    private JsonObject SliceFor(JsonObject service, IEnumerable<JsonObject> pods)
    {
        var name = service["metadata"]!["name"]!.GetValue<string>();
        var publishNotReady = service["spec"]?["publishNotReadyAddresses"]?.GetValue<bool>() == true;
        var endpoints = new JsonArray();
        foreach (var pod in pods.Where(InEndpoints)) endpoints.Add(EndpointOf(pod, name, publishNotReady));
        return new JsonObject
        {
            ["apiVersion"] = "discovery.k8s.io/v1",
            ["kind"] = "EndpointSlice",
            ["metadata"] = new JsonObject
            {
                ["name"] = SliceName(name),
                ["labels"] = new JsonObject
                {
                    ["kubernetes.io/service-name"] = name,
                    ["endpointslice.kubernetes.io/managed-by"] = ManagedBy,
                },
                ["ownerReferences"] = new JsonArray(new JsonObject
                {
                    ["apiVersion"] = "v1", ["kind"] = "Service", ["name"] = name,
                    ["uid"] = service["metadata"]?["uid"]?.DeepClone(), ["controller"] = true,
                }),
            },
            ["addressType"] = "IPv4",
            ["endpoints"] = endpoints,
        };
    }

    /// <summary>
    /// Whether a pod is listed at all (k8s.io/endpointslice util/controller_utils.go,
    /// ShouldPodBeInEndpoints, terminating pods included as the EndpointSlice controller asks):
    /// not Succeeded or Failed, and it has an IP. Ready or not, it is listed; readiness is a condition.
    /// </summary>
    private static bool InEndpoints(JsonObject pod) =>
        pod["status"]?["phase"]?.GetValue<string>() is not ("Succeeded" or "Failed")
        && pod["status"]?["podIP"]?.GetValue<string>() is { Length: > 0 };

    /// <summary>
    /// One endpoint (k8s.io/endpointslice utils.go, podToEndpoint): ready and serving when the pod is
    /// Ready or the Service has publishNotReadyAddresses; a terminating pod is never ready unless
    /// publishNotReadyAddresses. The hostname is set only when the pod's spec.hostname is set and its
    /// spec.subdomain is this Service's name (ShouldSetHostname): that is where the pod's DNS name
    /// &lt;hostname&gt;.&lt;service&gt;.&lt;ns&gt;.svc comes from.
    /// </summary>
    private static JsonObject EndpointOf(JsonObject pod, string service, bool publishNotReady)
    {
        var podReady = (pod["status"]?["conditions"] as JsonArray ?? [])
            .Any(c => c?["type"]?.GetValue<string>() == "Ready" && c["status"]?.GetValue<string>() == "True");
        var terminating = pod["metadata"]?["deletionTimestamp"] is not null;
        var serving = publishNotReady || podReady;
        var endpoint = new JsonObject
        {
            ["addresses"] = new JsonArray(pod["status"]!["podIP"]!.GetValue<string>()),
            ["conditions"] = new JsonObject
            {
                ["ready"] = serving && (!terminating || publishNotReady),
                ["serving"] = serving,
                ["terminating"] = terminating,
            },
            ["targetRef"] = new JsonObject { ["kind"] = "Pod", ["name"] = pod["metadata"]!["name"]!.GetValue<string>(), ["uid"] = pod["metadata"]?["uid"]?.DeepClone() },
        };
        var hostname = pod["spec"]?["hostname"]?.GetValue<string>();
        if (!string.IsNullOrEmpty(hostname) && pod["spec"]?["subdomain"]?.GetValue<string>() == service) endpoint["hostname"] = hostname;
        return endpoint;
    }

    /// <summary>A Service selector is a plain label equality map: every key must match.</summary>
    private static bool Selects(JsonObject selector, JsonObject pod)
    {
        var labels = pod["metadata"]?["labels"] as JsonObject;
        return selector.All(kv => labels?[kv.Key]?.GetValue<string>() is { } value && value == kv.Value?.GetValue<string>());
    }
}
