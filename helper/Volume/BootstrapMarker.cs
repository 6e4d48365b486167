using System.Text;
using System.Text.Json;
using OmLifecycle.Cli;

namespace OmLifecycle.Volume;

/// <summary>
/// Proof on the volume that this node was confirmed as a member of a ring: written only after
/// Ozone's own signals said so, read on every start.
/// </summary>
public sealed record BootstrapMarker(string NodeId, string ServiceId, string ClusterId, DateTimeOffset ConfirmedAt, string Mode)
{
    public const string FileName = "om-lifecycle.marker";

    public static string PathIn(string metadataDir) => System.IO.Path.Combine(metadataDir, FileName);

    public string ToJson()
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("nodeId", NodeId);
            json.WriteString("serviceId", ServiceId);
            json.WriteString("clusterId", ClusterId);
            json.WriteString("confirmedAt", ConfirmedAt.ToString("O"));
            json.WriteString("mode", Mode);
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    /// <summary>The marker on this volume, null when there is none; refuses a marker that cannot be read.</summary>
    public static BootstrapMarker? Read(string metadataDir)
    {
        var path = PathIn(metadataDir);
        if (!File.Exists(path)) return null;
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(path));
            var root = doc.RootElement;
            string Field(string name) =>
                root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String && !string.IsNullOrEmpty(v.GetString())
                    ? v.GetString()!
                    : throw new FormatException($"field '{name}' is missing or empty");
            return new BootstrapMarker(Field("nodeId"), Field("serviceId"), root.TryGetProperty("clusterId", out var c) ? c.GetString() ?? "" : "",
                DateTimeOffset.Parse(Field("confirmedAt"), System.Globalization.CultureInfo.InvariantCulture), Field("mode"));
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException)
        {
            throw LifecycleException.Refused(
                $"The bootstrap marker {path} is corrupt ({Cli.UntrustedText.Show(e.Message, 200)}). Run 'om-lifecycle status' to see what the ring says about this node; if it is a member, delete the marker and restart the pod so that it is rewritten; if not, delete the node's PVC (om-lifecycle never wipes a volume whose marker it cannot read).");
        }
    }

    public void WriteTo(string metadataDir) => AtomicFile.Write(PathIn(metadataDir), ToJson());
}
