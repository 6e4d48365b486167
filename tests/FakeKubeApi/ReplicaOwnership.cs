using System.Text.Json.Nodes;

namespace FakeKubeApi;

/// <summary>
/// Server-side apply's field ownership for the one field where Helm and om-lifecycle meet: a
/// workload's <c>spec.replicas</c>. It lives in <c>metadata.managedFields</c> in the API's own shape,
/// so clients read and patch it as on a real server. The rules follow Kubernetes' "Server-Side
/// Apply" page: a write that changes the value moves ownership to its manager alone; an apply that
/// changes a value another manager owns is a conflict unless forced; an apply of the same value
/// shares ownership. Other fields are not tracked.
/// </summary>
public static class ReplicaOwnership
{
    private const string Field = "f:replicas";

    /// <summary>The managers that own spec.replicas, as "manager (operation[, subresource])".</summary>
    public static IReadOnlyList<string> Owners(JsonObject obj) =>
        Entries(obj).Where(Owns).Select(Describe).ToList();

    /// <summary>A create, update or patch (not an apply) by <paramref name="manager"/> that set replicas to <paramref name="value"/>.</summary>
    public static void RecordWrite(JsonObject obj, int? before, int value, string manager, string? subresource = null)
    {
        if (before == value) return;
        foreach (var entry in Entries(obj)) Disown(entry);
        Own(obj, manager, "Update", subresource);
    }

    /// <summary>
    /// A server-side apply by <paramref name="manager"/> that sets replicas to <paramref name="value"/>.
    /// Returns the API server's conflict message, and changes nothing, when another manager owns a different value.
    /// </summary>
    public static string? Apply(JsonObject obj, int? before, int value, string manager, bool force)
    {
        var others = Entries(obj).Where(e => Owns(e) && !(Manager(e) == manager && Operation(e) == "Apply")).ToList();
        if (before != value && others.Count > 0)
        {
            if (!force)
                return $"Apply failed with {others.Count} conflict{(others.Count == 1 ? "" : "s")}: "
                    + string.Join("; ", others.Select(e => $"conflict with \"{Manager(e)}\"{(Subresource(e) is { } s ? $" with subresource \"{s}\"" : "")} using apps/v1: .spec.replicas"));
            foreach (var entry in others) Disown(entry);
        }
        Own(obj, manager, "Apply", null);
        return null;
    }

    private static List<JsonObject> Entries(JsonObject obj) =>
        (obj["metadata"]?["managedFields"] as JsonArray)?.OfType<JsonObject>().ToList() ?? [];

    private static bool Owns(JsonObject entry) => entry["fieldsV1"]?["f:spec"]?[Field] is not null;

    private static string Manager(JsonObject entry) => entry["manager"]?.GetValue<string>() ?? "";

    private static string Operation(JsonObject entry) => entry["operation"]?.GetValue<string>() ?? "";

    private static string? Subresource(JsonObject entry) => entry["subresource"]?.GetValue<string>();

    private static string Describe(JsonObject entry) =>
        $"{Manager(entry)} ({Operation(entry)}{(Subresource(entry) is { } s ? $", {s}" : "")})";

    private static void Disown(JsonObject entry)
    {
        if (entry["fieldsV1"]?["f:spec"] is JsonObject spec) spec.Remove(Field);
    }

    private static void Own(JsonObject obj, string manager, string operation, string? subresource)
    {
        var meta = obj["metadata"] as JsonObject ?? new JsonObject();
        obj["metadata"] = meta;
        var list = meta["managedFields"] as JsonArray ?? new JsonArray();
        meta["managedFields"] = list;
        var entry = list.OfType<JsonObject>().FirstOrDefault(e => Manager(e) == manager && Operation(e) == operation && Subresource(e) == subresource);
        if (entry is null)
        {
            entry = new JsonObject
            {
                ["manager"] = manager,
                ["operation"] = operation,
                ["apiVersion"] = obj["apiVersion"]?.GetValue<string>() ?? "apps/v1",
                ["fieldsType"] = "FieldsV1",
                ["fieldsV1"] = new JsonObject(),
            };
            if (subresource is not null) entry["subresource"] = subresource;
            list.Add(entry);
        }
        entry["time"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ");
        var fields = entry["fieldsV1"] as JsonObject ?? new JsonObject();
        entry["fieldsV1"] = fields;
        var spec = fields["f:spec"] as JsonObject ?? new JsonObject();
        fields["f:spec"] = spec;
        spec[Field] = new JsonObject();
    }
}
