using OmLifecycle.Tests.Membership;

namespace OmLifecycle.Tests.Cli;

public sealed class CommandLineTests : IDisposable
{
    private static readonly Dictionary<string, string?> NoEnv = [];
    private readonly string dir = Directory.CreateTempSubdirectory("omcli").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Fact]
    public async Task Version_prints_the_release_and_exits_zero()
    {
        var result = await OmLifecycleBinary.RunAsync(NoEnv, "--version");

        result.ExitCode.Should().Be(0);
        result.Stdout.Trim().Should().MatchRegex(@"^\d+\.\d+\.\d+");
    }

    [Fact]
    public async Task Help_lists_every_command_and_the_exit_codes()
    {
        var result = await OmLifecycleBinary.RunAsync(NoEnv, "--help");

        result.ExitCode.Should().Be(0);
        foreach (var command in new[] { "install", "start", "probe", "transfer-leader", "scale-in", "decommission", "wipe", "status" })
            result.Stdout.Should().Contain(command);
        result.Stdout.Should().Contain("3 deadline passed");
    }

    [Theory]
    [InlineData("install")]
    [InlineData("start")]
    [InlineData("probe")]
    [InlineData("transfer-leader")]
    [InlineData("scale-in")]
    [InlineData("decommission")]
    [InlineData("wipe")]
    [InlineData("status")]
    public async Task Every_command_has_help(string command)
    {
        var result = await OmLifecycleBinary.RunAsync(NoEnv, command, "--help");

        result.ExitCode.Should().Be(0);
        result.Stdout.Should().Contain("Usage:").And.Contain(command);
    }

    [Theory]
    [InlineData("frobnicate")]
    [InlineData("probe", "sideways")]
    [InlineData("wipe")]
    [InlineData("status", "--output", "xml")]
    [InlineData("scale-in", "--replicas", "many")]
    public async Task A_usage_error_exits_2_and_says_how_to_get_help(params string[] args)
    {
        var result = await OmLifecycleBinary.RunAsync(NoEnv, args);

        result.ExitCode.Should().Be(2);
        result.Stderr.Should().Contain("--help");
    }

    [Fact]
    public async Task Install_copies_the_executable_so_that_it_runs_from_there()
    {
        var result = await OmLifecycleBinary.RunAsync(NoEnv, "install", "--to", dir);

        result.ExitCode.Should().Be(0);
        var copy = Path.Combine(dir, "om-lifecycle");
        File.Exists(copy).Should().BeTrue();
        if (!OperatingSystem.IsWindows()) File.GetUnixFileMode(copy).Should().HaveFlag(UnixFileMode.UserExecute);
    }

    [Fact]
    public async Task Install_into_a_missing_directory_is_refused_and_creates_nothing()
    {
        var target = Path.Combine(dir, "absent");

        var result = await OmLifecycleBinary.RunAsync(NoEnv, "install", "--to", target);

        result.ExitCode.Should().Be(1);
        result.Stderr.Should().Contain("does not exist");
        Directory.Exists(target).Should().BeFalse();
    }

    [Fact]
    public async Task A_missing_membership_document_is_refused_with_where_to_mount_it()
    {
        var result = await OmLifecycleBinary.RunAsync(new Dictionary<string, string?> { ["POD_NAME"] = "ozone-om-0" }, "status", "--membership", Path.Combine(dir, "none.yaml"));

        result.ExitCode.Should().Be(1);
        result.Stderr.Should().Contain("Cannot read the membership document").And.NotContain("   at ");
    }

    [Fact]
    public async Task Start_in_a_pod_that_is_not_an_OM_is_refused_and_writes_nothing()
    {
        var membership = WriteMembership(new MembershipYaml { MetadataDir = Path.Combine(dir, "data") });

        var result = await OmLifecycleBinary.RunAsync(Env("ozone-s3g-0", membership), "start", "--", "/bin/true");

        result.ExitCode.Should().Be(1);
        result.Stderr.Should().Contain("'ozone-s3g-0', which is not an OM");
        Directory.Exists(Path.Combine(dir, "data")).Should().BeFalse();
        File.Exists(Path.Combine(dir, "conf", "ozone-site.xml")).Should().BeFalse();
    }

    [Fact]
    public async Task Status_in_a_pod_that_is_not_an_OM_shows_the_ring_and_says_so()
    {
        var membership = WriteMembership(new MembershipYaml { HostPattern = "127.9.{ordinal}.1" });

        var result = await OmLifecycleBinary.RunAsync(Env("ozone-s3g-0", membership), "status");

        result.ExitCode.Should().Be(0);
        result.Stdout.Should().Contain("leader NONE").And.Contain("is not an OM of this ring");
    }

    [Fact]
    public async Task The_ready_probe_fails_while_start_has_never_reported()
    {
        var membership = WriteMembership(new MembershipYaml { HostPattern = "127.9.{ordinal}.1" });

        var result = await OmLifecycleBinary.RunAsync(Env("ozone-om-0", membership), "probe", "ready");

        result.ExitCode.Should().Be(1);
        result.Stdout.Should().Contain("not ready");
    }

    // A joiner's name may not resolve yet, or a lookup made before its pod existed may still be cached
    // as missing (CoreDNS keeps an NXDOMAIN up to 30 s in kubeadm's Corefile); the OM's HTTP server
    // listens on every address (ozone.om.http-bind-host 0.0.0.0), so the probe asks it at POD_IP.
    [Fact]
    public async Task The_ready_probe_asks_its_own_OM_at_the_pod_address_not_by_a_name_that_may_not_resolve()
    {
        var membership = WriteMembership(new MembershipYaml { HostPattern = "{id}.ozone-om-headless.invalid", MetadataDir = Path.Combine(dir, "data") });
        Directory.CreateDirectory(Path.Combine(dir, "run"));
        File.WriteAllText(Path.Combine(dir, "run", "state.json"), $$"""{"phase":"Member","reason":"confirmed","updatedAt":"{{DateTimeOffset.UtcNow:O}}"}""");
        Directory.CreateDirectory(Path.Combine(dir, "data"));
        File.WriteAllText(Path.Combine(dir, "data", "om-lifecycle.marker"),
            $$"""{"nodeId":"ozone-om-0","serviceId":"ozone","clusterId":"CID-1","confirmedAt":"{{DateTimeOffset.UtcNow:O}}","mode":"init"}""");
        var podIp = System.Net.IPAddress.Parse("127.31.0.1");
        using var om = new System.Net.Sockets.TcpListener(podIp, 9874);
        om.Start();
        var answer = Fixtures.HttpFixture.Load("jmx/raft-server-leader.http").Raw;
        using var stop = new CancellationTokenSource();
        var serving = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                using var client = await om.AcceptTcpClientAsync(stop.Token);
                var stream = client.GetStream();
                var request = new byte[4096];
                _ = await stream.ReadAsync(request, stop.Token);
                await stream.WriteAsync(answer, stop.Token);
            }
        });
        var env = Env("ozone-om-0", membership);
        env["POD_IP"] = podIp.ToString();

        var result = await OmLifecycleBinary.RunAsync(env, "probe", "ready");

        await stop.CancelAsync();
        try { await serving; } catch (OperationCanceledException) { }
        result.Stdout.Should().Contain("ready: ozone-om-0 is LEADER", result.Stdout + result.Stderr);
        result.ExitCode.Should().Be(0);
    }

    private string WriteMembership(MembershipYaml yaml)
    {
        var path = Path.Combine(dir, "membership.yaml");
        File.WriteAllText(path, yaml.Render());
        return path;
    }

    private Dictionary<string, string?> Env(string pod, string membership) => new()
    {
        ["POD_NAME"] = pod,
        ["OM_LIFECYCLE_MEMBERSHIP"] = membership,
        ["OZONE_CONF_DIR"] = Path.Combine(dir, "conf"),
        ["OM_LIFECYCLE_RUN_DIR"] = Path.Combine(dir, "run"),
        ["OZONE_BIN"] = "/bin/false",
    };
}
