using System.Text.Json.Nodes;

namespace FakeKubeApi;

/// <summary>The scale subresource (autoscaling/v1 Scale) of StatefulSets and Deployments.</summary>
public static class Scale
{
    public static JsonObject Of(JsonObject obj) => new()
    {
        ["kind"] = "Scale",
        ["apiVersion"] = "autoscaling/v1",
        ["metadata"] = new JsonObject
        {
            ["name"] = obj["metadata"]!["name"]!.DeepClone(),
            ["namespace"] = obj["metadata"]!["namespace"]?.DeepClone(),
            ["resourceVersion"] = obj["metadata"]!["resourceVersion"]?.DeepClone(),
        },
        ["spec"] = new JsonObject { ["replicas"] = obj["spec"]?["replicas"]?.GetValue<int>() ?? 1 },
        ["status"] = new JsonObject { ["replicas"] = obj["status"]?["replicas"]?.GetValue<int>() ?? 0 },
    };

    public static (int, JsonNode) Apply(ObjectStore store, ApiResource resource, string ns, string name, string? contentType, string body, string? fieldManager)
    {
        var current = store.Get(resource, ns, name);
        if (current is null) return (404, FakeKubeApiServer.Status(404, "NotFound", $"{resource.Plural} \"{name}\" not found"));
        var scale = Patches.Apply(Of(current), contentType, body);
        var replicas = scale["spec"]?["replicas"]?.GetValue<int>() ?? 1;
        if (replicas < 0) return (422, FakeKubeApiServer.Status(422, "Invalid", "spec.replicas must be 0 or more"));
        var spec = current["spec"] as JsonObject ?? new JsonObject();
        ReplicaOwnership.RecordWrite(current, spec["replicas"]?.GetValue<int>(), replicas, fieldManager ?? "unknown", "scale");
        spec["replicas"] = replicas;
        current["spec"] = spec;
        return (200, Of(store.Write(resource, ns, current)));
    }
}
