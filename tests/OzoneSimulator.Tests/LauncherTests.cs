namespace OzoneSimulator.Tests;

/// <summary>
/// The `ozone` launcher's checks before a daemon starts (hadoop-ozone/dist/src/shell/ozone/ozone-functions.sh:
/// ozone_daemon_handler → ozone_verify_piddir, ozone_verify_logdir), as the twin's containers meet them.
/// </summary>
public sealed class LauncherTests : IDisposable
{
    private readonly SimCluster cluster = new();

    public void Dispose() => cluster.Dispose();

    private string Mount(string name) => Directory.CreateDirectory(Path.Combine(cluster.Root, "mounts", name)).FullName;

    private async Task<(int Code, string Out, string Err)> RunInContainerAsync(string? logDir, string? pidDir, string writable, params string[] args)
    {
        cluster.Configure(0, [0]);
        var info = cluster.Info(0, args);
        if (logDir is null) info.Environment.Remove("OZONE_LOG_DIR"); else info.Environment["OZONE_LOG_DIR"] = logDir;
        if (pidDir is null) info.Environment.Remove("OZONE_PID_DIR"); else info.Environment["OZONE_PID_DIR"] = pidDir;
        info.Environment[Launcher.WritableDirsVariable] = writable;
        using var p = System.Diagnostics.Process.Start(info)!;
        var o = p.StandardOutput.ReadToEndAsync();
        var e = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        return (p.ExitCode, await o, await e);
    }

    // ozone_verify_logdir: touch "${OZONE_LOG_DIR}/$$" fails on a read-only root filesystem
    [Fact]
    public async Task Init_exits_1_when_the_log_dir_is_not_on_a_writable_mount()
    {
        var tmp = Mount("tmp");

        var (code, _, err) = await RunInContainerAsync("/var/log/hadoop", null, $"/tmp={tmp}", "om", "--init");

        code.Should().Be(1);
        err.Trim().Should().Be("ERROR: Unable to write in /var/log/hadoop. Aborting.");
        File.Exists(Path.Combine(cluster.Metadata(0), "om", "current", "VERSION")).Should().BeFalse("the launcher stops before Java starts");
    }

    // ozone_daemon_handler checks the pid dir first; ozone_basic_init defaults it to /tmp
    [Fact]
    public async Task The_default_pid_dir_is_checked_before_the_log_dir()
    {
        var logs = Mount("logs");

        var (code, _, err) = await RunInContainerAsync(logs, null, $"/opt/hadoop/logs={logs}", "om");

        code.Should().Be(1);
        err.Trim().Should().Be("ERROR: Unable to write in /tmp. Aborting.");
    }

    // ozone_mkdir creates a missing dir, then the touch succeeds: the daemon starts
    [Fact]
    public async Task A_daemon_starts_when_both_dirs_are_on_writable_mounts()
    {
        var logs = Mount("logs");
        var tmp = Mount("tmp");

        var (code, _, err) = await RunInContainerAsync(Path.Combine(logs, "om"), null, $"/logs={logs};/tmp={tmp}", "om", "--init");

        code.Should().Be(0, err);
        Directory.Exists(Path.Combine(logs, "om")).Should().BeTrue();
    }

    // bin/ozone: admin is not a daemon (OZONE_SUBCMD_SUPPORTDAEMONIZATION unset), so nothing is checked
    [Fact]
    public async Task Client_commands_are_not_checked()
    {
        var (code, _, err) = await RunInContainerAsync("/var/log/hadoop", "/tmp", "", "version");

        code.Should().Be(0, err);
    }

    // Without readOnlyRootFilesystem the image's /var/log/hadoop (1777) is writable
    [Fact]
    public async Task The_image_log_dir_is_writable_when_the_root_filesystem_is()
    {
        var (code, _, err) = await RunInContainerAsync("/var/log/hadoop", "/tmp", "/", "om", "--init");

        code.Should().Be(0, err);
    }
}
