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
    /// An update that changes an immutable field throws <see cref="InvalidObjectException"/> (<see cref="UpdateValidation"/>).
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
                UpdateValidation.Check(resource, NameOf(obj), live, next);
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
        // An object created with owners that are all gone is collected at once, as the garbage collector does with a dangling reference.
        if (HasOnlyAbsentOwners(stored, resource.Namespaced ? ns : "")) Delete(resource, ns, name);
        return stored;
    }

    /// <summary>
    /// Deletes the object, then collects its dependents as Kubernetes' garbage collector does with
    /// background cascading deletion (the default for API deletes and for `helm uninstall`): every
    /// object whose ownerReferences all name owners that no longer exist is deleted in turn, and so
    /// on down the chain. Owners are matched by uid, not name, so an owner deleted and created again
    /// under the same name does not keep the old dependents (kubernetes.io/docs/concepts/architecture/garbage-collection;
    /// Kubernetes v1.35 pkg/controller/garbagecollector/garbagecollector.go, attemptToDeleteItem and
    /// isDangling). The real collector works asynchronously; here it runs before Delete returns.
    /// </summary>
    public bool Delete(ApiResource resource, string ns, string name)
    {
        bool removed;
        lock (gate) removed = objects.Remove((resource, resource.Namespaced ? ns : "", name));
        if (!removed) return false;
        Changed?.Invoke(resource, ns, name, null);
        CollectGarbage();
        return true;
    }

    private void CollectGarbage()
    {
        List<(ApiResource Resource, string Namespace, string Name)> dangling;
        lock (gate)
        {
            dangling = objects.Where(kv => HasOnlyAbsentOwnersLocked(kv.Value, kv.Key.Namespace)).Select(kv => kv.Key).ToList();
        }
        foreach (var (resource, ns, name) in dangling) Delete(resource, ns, name);
    }

    private bool HasOnlyAbsentOwners(JsonObject obj, string ns)
    {
        lock (gate) return HasOnlyAbsentOwnersLocked(obj, ns);
    }

    /// <summary>True when the object has ownerReferences and none of them names a live object (same namespace, or cluster-scoped) by uid.</summary>
    private bool HasOnlyAbsentOwnersLocked(JsonObject obj, string ns)
    {
        var owners = (obj["metadata"]?["ownerReferences"] as JsonArray)?.Select(o => o?["uid"]?.GetValue<string>()).OfType<string>().ToList();
        if (owners is null || owners.Count == 0) return false;
        var live = objects.Where(kv => kv.Key.Namespace == ns || kv.Key.Namespace == "")
            .Select(kv => kv.Value["metadata"]?["uid"]?.GetValue<string>()).OfType<string>().ToHashSet();
        return !owners.Any(live.Contains);
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
