using System.Text.Json.Nodes;

namespace FakeKubeApi;

/// <summary>Objects kept as JSON, keyed by resource, namespace and name, with a resourceVersion per write.</summary>
public sealed class ObjectStore
{
    private readonly Lock gate = new();
    private readonly Dictionary<(ApiResource Resource, string Namespace, string Name), JsonObject> objects = [];
    private long version = 1;

    /// <summary>Called after every write with the resource, namespace, name and the new object (null: deleted).</summary>
    public event Action<ApiResource, string, string, JsonObject?>? Changed;

    public JsonObject? Get(ApiResource resource, string ns, string name)
    {
        lock (gate) return objects.TryGetValue((resource, ns, name), out var o) ? (JsonObject)o.DeepClone() : null;
    }

    public IReadOnlyList<JsonObject> List(ApiResource resource, string? ns, Func<JsonObject, bool>? filter = null)
    {
        lock (gate)
        {
            return objects.Where(kv => kv.Key.Resource == resource && (ns is null || kv.Key.Namespace == ns))
                .Select(kv => (JsonObject)kv.Value.DeepClone())
                .Where(o => filter?.Invoke(o) ?? true)
                .OrderBy(o => o["metadata"]?["name"]?.GetValue<string>(), StringComparer.Ordinal)
                .ToList();
        }
    }

    /// <summary>Creates or replaces; sets apiVersion, kind, namespace, resourceVersion, uid and creationTimestamp.</summary>
    public JsonObject Put(ApiResource resource, string ns, JsonObject obj) => Commit(resource, ns, NameOf(obj), _ => obj)!;

    /// <summary>
    /// A write to the main resource as the API server's update strategy makes it for kinds with a
    /// status subresource (Kubernetes v1.35 pkg/registry/apps/statefulset/strategy.go, PrepareForCreate
    /// and PrepareForUpdate): a create starts at generation 1 with no status; an update keeps the
    /// live status and adds one to the generation when the spec changed. Other kinds are stored as sent.
    /// </summary>
    public JsonObject Write(ApiResource resource, string ns, JsonObject obj)
    {
        if (resource.Subresources?.Contains("status") != true) return Put(resource, ns, obj);
        return Commit(resource, ns, NameOf(obj), live =>
        {
            var next = (JsonObject)obj.DeepClone();
            var meta = next["metadata"] as JsonObject ?? new JsonObject();
            next["metadata"] = meta;
            if (live is not null)
            {
                var generation = live["metadata"]?["generation"]?.GetValue<long>() ?? 1;
                meta["generation"] = JsonNode.DeepEquals(live["spec"], next["spec"]) ? generation : generation + 1L;
                next["status"] = live["status"]?.DeepClone();
            }
            else
            {
                meta["generation"] = 1L;
                next.Remove("status");
            }
            return next;
        })!;
    }

    /// <summary>A write to the status subresource: only status changes (spec, metadata and generation stay). Null when the object does not exist.</summary>
    public JsonObject? WriteStatus(ApiResource resource, string ns, string name, JsonNode? status)
    {
        return Commit(resource, ns, name, live =>
        {
            if (live is null) return null;
            live["status"] = status?.DeepClone();
            return live;
        });
    }

    private static string NameOf(JsonObject obj) =>
        obj["metadata"]?["name"]?.GetValue<string>() ?? throw new ArgumentException("metadata.name is required");

    /// <summary>
    /// One write under the lock: <paramref name="next"/> gets a copy of the live object (null if none)
    /// and returns what to store (null: store nothing). Changed runs after the lock is released.
    /// </summary>
    private JsonObject? Commit(ApiResource resource, string ns, string name, Func<JsonObject?, JsonObject?> next)
    {
        JsonObject stored;
        lock (gate)
        {
            var key = (resource, resource.Namespaced ? ns : "", name);
            objects.TryGetValue(key, out var old);
            if (next((JsonObject?)old?.DeepClone()) is not { } result) return null;
            stored = (JsonObject)result.DeepClone();
            stored["apiVersion"] = resource.ApiVersion;
            stored["kind"] = resource.Kind;
            var meta = stored["metadata"] as JsonObject ?? new JsonObject();
            stored["metadata"] = meta;
            if (resource.Namespaced) meta["namespace"] = ns;
            if (old is not null)
            {
                meta["uid"] = old["metadata"]?["uid"]?.DeepClone();
                meta["creationTimestamp"] = old["metadata"]?["creationTimestamp"]?.DeepClone();
            }
            else
            {
                meta["uid"] ??= Guid.NewGuid().ToString();
                meta["creationTimestamp"] ??= DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ");
            }
            meta["resourceVersion"] = (++version).ToString(System.Globalization.CultureInfo.InvariantCulture);
            objects[key] = stored;
            stored = (JsonObject)stored.DeepClone();
        }
        Changed?.Invoke(resource, ns, name, stored);
        return stored;
    }

    public bool Delete(ApiResource resource, string ns, string name)
    {
        bool removed;
        lock (gate) removed = objects.Remove((resource, resource.Namespaced ? ns : "", name));
        if (removed) Changed?.Invoke(resource, ns, name, null);
        return removed;
    }

    /// <summary>Adds a Kubernetes object given as JSON text (apiVersion and kind pick the resource).</summary>
    public JsonObject Add(string json, string defaultNamespace = "default")
    {
        var obj = JsonNode.Parse(json)!.AsObject();
        var resource = ApiResource.ByKind(obj["apiVersion"]!.GetValue<string>(), obj["kind"]!.GetValue<string>())
            ?? throw new ArgumentException($"unknown kind {obj["apiVersion"]} {obj["kind"]}");
        return Put(resource, obj["metadata"]?["namespace"]?.GetValue<string>() ?? defaultNamespace, obj);
    }
}
