using System.Text.Json.Nodes;
using k8s.Models;

namespace OmLifecycle.Kubernetes;

/// <summary>
/// The JSON patch that removes a field manager's scale-subresource entries from an object's
/// managedFields. Each removal is guarded by "test" operations on the resourceVersion and on the
/// entry's manager, so a concurrent writer makes the patch fail (422) instead of removing the wrong entry.
/// </summary>
public static class ReplicasOwnership
{
    /// <summary>The patch as JSON text, or null when <paramref name="manager"/> owns nothing through the scale subresource.</summary>
    public static string? ReleasePatch(V1ObjectMeta metadata, string manager)
    {
        var entries = metadata.ManagedFields ?? [];
        var ours = Enumerable.Range(0, entries.Count)
            .Where(i => entries[i].Manager == manager && entries[i].Subresource == "scale")
            .OrderDescending() // removing from the end keeps the lower indices valid
            .ToList();
        if (ours.Count == 0) return null;

        var ops = new JsonArray((JsonNode)Op("test", "/metadata/resourceVersion", metadata.ResourceVersion));
        foreach (var i in ours)
        {
            ops.Add((JsonNode)Op("test", $"/metadata/managedFields/{i}/manager", manager));
            ops.Add((JsonNode)Op("remove", $"/metadata/managedFields/{i}", null));
        }
        return ops.ToJsonString();
    }

    private static JsonObject Op(string op, string path, string? value)
    {
        var o = new JsonObject { ["op"] = op, ["path"] = path };
        if (op != "remove") o["value"] = value;
        return o;
    }
}
