using System.Text;
using System.Text.Json;
using OmLifecycle.Volume;

namespace OmLifecycle.Lifecycle;

/// <summary>
/// start's heartbeat for the probes: which phase it is in, refreshed while it lives. Kept in a
/// per-container directory (an emptyDir), never on the OM volume.
/// </summary>
public sealed record RunState(string Phase, string Reason, DateTimeOffset UpdatedAt)
{
    public static string DirectoryPath =>
        EnvironmentVariables.Read(EnvironmentVariables.RunDir) ?? "/tmp/om-lifecycle";

    private static string FilePath => Path.Combine(DirectoryPath, "state.json");

    public void Write()
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("phase", Phase);
            json.WriteString("reason", Reason);
            json.WriteString("updatedAt", UpdatedAt.ToString("O"));
            json.WriteEndObject();
        }
        AtomicFile.Write(FilePath, Encoding.UTF8.GetString(buffer.ToArray()));
    }

    public static RunState? Read()
    {
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(FilePath));
            var root = doc.RootElement;
            return new RunState(root.GetProperty("phase").GetString()!, root.GetProperty("reason").GetString() ?? "",
                DateTimeOffset.Parse(root.GetProperty("updatedAt").GetString()!, System.Globalization.CultureInfo.InvariantCulture));
        }
        catch (Exception e) when (e is IOException or JsonException or KeyNotFoundException or FormatException or InvalidOperationException)
        {
            return null;
        }
    }
}
