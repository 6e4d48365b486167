using System.Text.Json;

namespace OzoneSimulator;

/// <summary>
/// A JSON state file that every simulator process and the twin share: read under its lock
/// (<see cref="FileLock"/>), changed, and written back by rename only when the change altered it,
/// since most calls only look (every probe and poll of every OM).
/// </summary>
public static class LockedJsonFile
{
    public static T Update<TState, T>(string dir, string name, string lockName, Func<TState, T> change) where TState : new()
    {
        Directory.CreateDirectory(dir);
        using var held = FileLock.Acquire(Path.Combine(dir, lockName));
        var path = Path.Combine(dir, name);
        var before = File.Exists(path) ? File.ReadAllText(path) : null;
        var state = before is null ? new TState() : JsonSerializer.Deserialize<TState>(before, SimState.Json) ?? new TState();
        var result = change(state);
        var after = JsonSerializer.Serialize(state, SimState.Json);
        if (after != before) WriteAtomic(dir, name, after);
        return result;
    }

    /// <summary>Writes a temporary file and renames it over <paramref name="name"/>, so a reader sees the old or the new content whole.</summary>
    public static void WriteAtomic(string dir, string name, string content)
    {
        var temp = Path.Combine(dir, $".{name}.{Environment.ProcessId}.tmp");
        File.WriteAllText(temp, content);
        File.Move(temp, Path.Combine(dir, name), overwrite: true);
    }
}
