namespace OzoneSimulator;

/// <summary>
/// What the real `ozone` launcher checks before it starts a daemon, as
/// hadoop-ozone/dist/src/shell/ozone/ozone-functions.sh does it: `ozone_daemon_handler` (modes
/// start and default, i.e. also a daemon in the foreground and its `--init`/`--bootstrap`) calls
/// `ozone_verify_piddir` and then `ozone_verify_logdir`. Each runs `ozone_mkdir` (mkdir -p, "ERROR:
/// Unable to create DIR. Aborting.") and `touch DIR/$$` ("ERROR: Unable to write in DIR. Aborting."),
/// exit 1. The defaults come from `ozone_basic_init` (`${OZONE_PID_DIR:-/tmp}`,
/// `${OZONE_LOG_DIR:-"${OZONE_HOME}/logs"}`), so an empty variable means the default. bin/ozone marks om, scm, datanode, s3g and recon as daemons;
/// admin and sh are not checked.
/// </summary>
public static class Launcher
{
    /// <summary>The subcommands bin/ozone runs with OZONE_SUBCMD_SUPPORTDAEMONIZATION=true.</summary>
    public static readonly string[] Daemons = ["om", "scm", "datanode", "s3g", "recon"];

    /// <summary>
    /// Set by the cluster twin, which models the container's filesystem: the container's writable
    /// mounts as `containerPath=hostPath` entries separated by ';', and "/" alone when the root
    /// filesystem is writable too. Paths in the environment are already mapped to the host; the
    /// launcher's own defaults (/tmp) are container paths and are mapped here. Unset (a plain process
    /// on this machine), the directories are checked on the host as they are.
    /// </summary>
    public const string WritableDirsVariable = "OZONE_SIM_WRITABLE_MOUNTS";

    /// <summary>Throws the launcher's error (exit 1) when a daemon's pid or log directory is not writable.</summary>
    public static void VerifyDaemonDirs(string subcommand)
    {
        if (!Daemons.Contains(subcommand)) return;
        var home = Env("OZONE_HOME") ?? "/opt/hadoop";
        // Set but empty: a read-only root filesystem with no writable mount.
        var mounts = WritableMounts();
        Verify(Env("OZONE_PID_DIR") ?? "/tmp", mounts);
        Verify(Env("OZONE_LOG_DIR") ?? $"{home}/logs", mounts);
    }

    private static bool Under(string dir, string root) => dir == root || dir.StartsWith(root.TrimEnd('/') + "/", StringComparison.Ordinal);

    /// <summary>
    /// Where a container directory can be written, given the writable mounts of
    /// <see cref="WritableDirsVariable"/>: the host directory behind the writable mount that holds
    /// it, "" when only the writable root filesystem holds it (a path of the image, not of this
    /// machine), or null when it is on the read-only root filesystem. Without mounts (a plain
    /// process) the directory is itself.
    /// </summary>
    public static string? WritableLocation(string dir, string[]? mounts)
    {
        if (mounts is null) return dir;
        foreach (var entry in mounts)
        {
            if (entry == "/") continue;
            var (container, onHost) = (entry[..entry.IndexOf('=')], entry[(entry.IndexOf('=') + 1)..]);
            if (Under(dir, onHost)) return dir;
            if (Under(dir, container)) return onHost + dir[container.TrimEnd('/').Length..];
        }
        return mounts.Contains("/") ? "" : null;
    }

    /// <summary>The writable mounts the twin set for this process, or null for a plain process.</summary>
    public static string[]? WritableMounts() =>
        Environment.GetEnvironmentVariable(WritableDirsVariable)?.Split(';', StringSplitOptions.RemoveEmptyEntries);

    private static void Verify(string dir, string[]? mounts)
    {
        // Outside every writable mount: the real touch fails on the read-only root filesystem.
        // (mkdir fails first, with "Unable to create", for a directory the image lacks; same exit.)
        var host = WritableLocation(dir, mounts) ?? throw new SimExit(1, $"ERROR: Unable to write in {dir}. Aborting.");
        // The root filesystem is writable: the directory exists or can be made (the image's own
        // dirs, such as /var/log/hadoop, are 1777), and it is not on this machine to touch.
        if (host.Length == 0) return;
        if (!Directory.Exists(host))
        {
            Console.Error.WriteLine($"WARNING: {dir} does not exist. Creating.");
            try { Directory.CreateDirectory(host); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw new SimExit(1, $"ERROR: Unable to create {dir}. Aborting."); }
        }
        var probe = Path.Combine(host, Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        try
        {
            File.WriteAllText(probe, "");
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SimExit(1, $"ERROR: Unable to write in {dir}. Aborting.");
        }
    }

    /// <summary>An empty variable counts as unset, as `${VAR:-default}` reads it.</summary>
    private static string? Env(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } v ? v : null;
}
