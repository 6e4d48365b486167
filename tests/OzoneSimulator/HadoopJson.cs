using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OzoneSimulator;

/// <summary>
/// JSON as Hadoop's JMXJsonServlet writes it: Jackson's default pretty printer (two-space
/// indent, `"key" : value`, arrays of scalars on one line as `[ "a", "b" ]`, an array of objects
/// as `[ {` … `}, {` … `} ]`, an empty array as `[ ]`).
/// </summary>
public static class HadoopJson
{
    public static string Write(JsonNode? node)
    {
        var text = new StringBuilder();
        Write(text, node, 0);
        return text.ToString();
    }

    private static void Write(StringBuilder text, JsonNode? node, int depth)
    {
        switch (node)
        {
            case null:
                text.Append("null");
                break;
            case JsonObject obj:
                if (obj.Count == 0) { text.Append("{ }"); break; }
                text.Append("{\n");
                var first = true;
                foreach (var (key, value) in obj)
                {
                    if (!first) text.Append(",\n");
                    first = false;
                    text.Append(' ', (depth + 1) * 2).Append(JsonSerializer.Serialize(key)).Append(" : ");
                    Write(text, value, depth + 1);
                }
                text.Append('\n').Append(' ', depth * 2).Append('}');
                break;
            case JsonArray array:
                if (array.Count == 0) { text.Append("[ ]"); break; }
                text.Append("[ ");
                for (var i = 0; i < array.Count; i++)
                {
                    if (i > 0) text.Append(", ");
                    Write(text, array[i], depth);
                }
                text.Append(" ]");
                break;
            default:
                text.Append(node.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
                break;
        }
    }
}
