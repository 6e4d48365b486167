using OmLifecycle.Cli;
using OmLifecycle.Volume;

namespace OmLifecycle.Lifecycle;

/// <summary>`install --to DIR`: the init container copies this executable where the OM container can run it.</summary>
public static class Installer
{
    public const string ExecutableName = "om-lifecycle";

    public static int Install(string directory)
    {
        var source = Environment.ProcessPath
            ?? throw LifecycleException.Refused("Cannot find this executable's own path to copy it; run om-lifecycle by its full path.");
        if (!Path.IsPathRooted(directory))
            throw LifecycleException.Refused($"--to '{directory}' is not an absolute directory; pass the mounted emptyDir's path, e.g. --to /opt/om-lifecycle.");
        if (File.Exists(directory))
            throw LifecycleException.Refused($"--to '{directory}' is a file, not a directory; pass the mounted emptyDir's path, e.g. --to /opt/om-lifecycle.");
        if (!Directory.Exists(directory))
            throw LifecycleException.Refused($"--to '{directory}' does not exist; mount an emptyDir there first.");
        var target = Path.Combine(directory, ExecutableName);
        if (Directory.Exists(target))
            throw LifecycleException.Refused($"{target} is a directory, so the executable cannot be put there; remove it, or pass another --to.");
        var temp = Path.Combine(directory, $".{ExecutableName}.{Environment.ProcessId}.tmp");
        try
        {
            File.Copy(source, temp, overwrite: true);
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
            File.Move(temp, target, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Never leave a 23 MB half-copy behind.
            AtomicFile.TryDelete(temp);
            throw LifecycleException.Refused($"Cannot install into --to '{directory}' ({CommandBoundary.OneLine(e.Message, 200)}); --to must be a writable directory with room for the executable, e.g. the emptyDir mounted at /opt/om-lifecycle. Nothing was installed.");
        }
        Console.WriteLine($"installed {target}");
        return (int)ExitCode.Done;
    }
}
