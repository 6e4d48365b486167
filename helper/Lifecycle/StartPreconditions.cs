using OmLifecycle.Cli;

namespace OmLifecycle.Lifecycle;

/// <summary>
/// What `start` checks before it rewrites anything: the OM command after '--' is a program that
/// can be run, and OZONE_CONF_DIR is an absolute path. A typo found only when the OM is launched
/// would leave ozone-site.xml rewritten and the message pointing elsewhere.
/// </summary>
public static class StartPreconditions
{
    public static void Check(ToolEnvironment env, string[] command)
    {
        if (!Path.IsPathRooted(env.OzoneConfDir))
            throw LifecycleException.Refused(
                $"OZONE_CONF_DIR is '{UntrustedText.Show(env.OzoneConfDir)}', a relative path that would depend on the working directory; set it to an absolute path (the image's /etc/hadoop, or the chart's config emptyDir). Nothing was changed.");
        CheckRunnable(command[0], EnvironmentVariables.Read(EnvironmentVariables.SearchPath) ?? "");
    }

    private static void CheckRunnable(string program, string searchPath)
    {
        var shown = UntrustedText.Show(program, 200);
        if (program.Contains('/'))
        {
            if (Directory.Exists(program))
                throw LifecycleException.Refused($"The OM command '{shown}' (the first word after 'start --') is a directory, not an executable; pass the image's ozone launcher, e.g. 'start -- ozone om'. Nothing was changed.");
            if (!File.Exists(program))
                throw LifecycleException.Refused($"The OM command '{shown}' (the first word after 'start --') does not exist; pass the image's ozone launcher, e.g. 'start -- ozone om'. Nothing was changed.");
            if (!IsExecutable(program))
                throw LifecycleException.Refused($"The OM command '{shown}' (the first word after 'start --') is not an executable file (no execute permission); pass the image's ozone launcher, e.g. 'start -- ozone om'. Nothing was changed.");
            return;
        }
        var found = searchPath.Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, program))
            .Any(candidate => File.Exists(candidate) && IsExecutable(candidate));
        if (!found)
            throw LifecycleException.Refused($"The OM command '{shown}' (the first word after 'start --') is not an executable on PATH; pass its full path or the image's ozone launcher, e.g. 'start -- ozone om'. Nothing was changed.");
    }

    private static bool IsExecutable(string path) =>
        OperatingSystem.IsWindows() || (File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;
}
