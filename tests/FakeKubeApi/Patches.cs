using System.Text.Json.Nodes;

namespace FakeKubeApi;

/// <summary>Merge patch (RFC 7386; strategic merge is treated the same) and JSON patch (RFC 6902: test, add, replace, remove).</summary>
public static class Patches
{
    public static JsonObject Apply(JsonObject current, string? contentType, string body)
    {
        if (contentType?.Contains("json-patch", StringComparison.Ordinal) == true)
        {
            foreach (var op in JsonNode.Parse(body)!.AsArray())
                JsonPatch(current, op!["op"]!.GetValue<string>(), op["path"]!.GetValue<string>(), op["value"]);
            return current;
        }
        return (JsonObject)Merge(current, JsonNode.Parse(body))!;
    }

    public static JsonNode? Merge(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject patchObject) return patch?.DeepClone();
        var result = target as JsonObject ?? new JsonObject();
        foreach (var (key, value) in patchObject.ToList())
        {
            if (value is null) result.Remove(key);
            else result[key] = Merge(result[key]?.DeepClone(), value);
        }
        return result;
    }

    private static void JsonPatch(JsonObject root, string op, string path, JsonNode? value)
    {
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(s => s.Replace("~1", "/").Replace("~0", "~")).ToArray();
        JsonNode parent = root;
        foreach (var s in segments[..^1])
            parent = parent is JsonArray a ? a[int.Parse(s)]! : (parent[s] ??= new JsonObject());
        var last = segments[^1];
        switch (op, parent)
        {
            case ("test", _):
                var actual = parent is JsonArray list ? list[int.Parse(last)] : parent[last];
                if (!JsonNode.DeepEquals(actual, value)) throw new PatchTestFailedException($"Testing value {path} failed");
                break;
            case ("remove", JsonObject o): o.Remove(last); break;
            case ("remove", JsonArray a): a.RemoveAt(int.Parse(last)); break;
            case ("add", JsonArray a) when last == "-": a.Add(value?.DeepClone()); break;
            case ("add" or "replace", JsonArray a): a[int.Parse(last)] = value?.DeepClone(); break;
            case ("add" or "replace", JsonObject o): o[last] = value?.DeepClone(); break;
            default: throw new InvalidOperationException($"unsupported JSON patch op {op}");
        }
    }
}

/// <summary>A JSON patch "test" operation did not hold; the API server answers 422 and changes nothing.</summary>
public sealed class PatchTestFailedException(string message) : Exception(message);
