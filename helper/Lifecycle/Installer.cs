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
        if (!Directory.Exists(directory))
            throw LifecycleException.Refused($"--to '{directory}' does not exist; mount an emptyDir there first.");
        var target = Path.Combine(directory, ExecutableName);
        var temp = Path.Combine(directory, $".{ExecutableName}.{Environment.ProcessId}.tmp");
        File.Copy(source, temp, overwrite: true);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        File.Move(temp, target, overwrite: true);
        Console.WriteLine($"installed {target}");
        return (int)ExitCode.Done;
    }
}
