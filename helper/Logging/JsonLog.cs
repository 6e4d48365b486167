using System.Text;
using System.Text.Json;

namespace OmLifecycle.Logging;

/// <summary>Writes one JSON object per line on stderr: what was done, why, the result and how long it took.</summary>
public sealed class JsonLog(TextWriter sink, TimeProvider clock)
{
    private readonly Lock gate = new();

    public static JsonLog Stderr { get; } = new(Console.Error, TimeProvider.System);

    public void Info(string evt, string message, params (string Key, object? Value)[] fields) => Write("info", evt, message, fields);

    public void Warn(string evt, string message, params (string Key, object? Value)[] fields) => Write("warn", evt, message, fields);

    public void Error(string evt, string message, params (string Key, object? Value)[] fields) => Write("error", evt, message, fields);

    /// <summary>One external call: what, why, result and duration.</summary>
    public void Call(string what, string why, string result, TimeSpan duration) =>
        Write("info", "call", what, [("why", why), ("result", result), ("durationMs", (long)duration.TotalMilliseconds)]);

    private void Write(string level, string evt, string message, (string Key, object? Value)[] fields)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("ts", clock.GetUtcNow().ToString("O"));
            json.WriteString("level", level);
            json.WriteString("event", evt);
            json.WriteString("msg", message);
            foreach (var (key, value) in fields)
            {
                switch (value)
                {
                    case null: json.WriteNull(key); break;
                    case long l: json.WriteNumber(key, l); break;
                    case int i: json.WriteNumber(key, i); break;
                    case bool b: json.WriteBoolean(key, b); break;
                    case IEnumerable<string> list:
                        json.WriteStartArray(key);
                        foreach (var item in list) json.WriteStringValue(item);
                        json.WriteEndArray();
                        break;
                    default: json.WriteString(key, value.ToString()); break;
                }
            }
            json.WriteEndObject();
        }
        var line = Encoding.UTF8.GetString(buffer.ToArray());
        lock (gate) sink.WriteLine(line);
    }
}
