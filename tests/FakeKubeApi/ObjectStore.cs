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
    public JsonObject Put(ApiResource resource, string ns, JsonObject obj)
    {
        JsonObject stored;
        string name;
        lock (gate)
        {
            stored = (JsonObject)obj.DeepClone();
            stored["apiVersion"] = resource.ApiVersion;
            stored["kind"] = resource.Kind;
            var meta = stored["metadata"] as JsonObject ?? new JsonObject();
            stored["metadata"] = meta;
            name = meta["name"]?.GetValue<string>() ?? throw new ArgumentException("metadata.name is required");
            if (resource.Namespaced) meta["namespace"] = ns;
            var key = (resource, resource.Namespaced ? ns : "", name);
            if (objects.TryGetValue(key, out var old))
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
