namespace OzoneSimulator.Tests;

/// <summary>
/// The simulator plays the Ozone release it is given (OzoneVersion.cs cites each difference):
/// `ozone admin` option names per release, master's deprecation warnings, and the OM's Ratis dirs.
/// </summary>
public sealed class OzoneVersionTests : IDisposable
{
    private readonly SimCluster cluster = new();

    public void Dispose() => cluster.Dispose();

    [Theory]
    [InlineData("2.0.0", OzoneRelease.V2_0)]
    [InlineData("2.1.1", OzoneRelease.V2_1)]
    [InlineData("2.2.1", OzoneRelease.V2_2)]
    [InlineData("2.3.0-SNAPSHOT", OzoneRelease.Master)]
    [InlineData("master", OzoneRelease.Master)]
    [InlineData("latest", OzoneRelease.Master)]
    public void An_image_tag_names_the_release_played(string tag, OzoneRelease release) =>
        OzoneVersion.Parse(tag)!.Release.Should().Be(release);

    [Theory]
    [InlineData("1.4.1")]
    [InlineData("3.0.0")]
    [InlineData("2")]
    [InlineData("stable")]
    public void A_release_the_simulator_does_not_know_is_none(string tag) => OzoneVersion.Parse(tag).Should().BeNull();

    [Fact]
    public async Task An_unknown_release_in_the_environment_fails_loudly_naming_the_variable()
    {
        cluster.Release = "1.4.1";
        foreach (var args in new[] { new[] { "version" }, ["admin", "om", "roles", "--service-id", "svc"], ["om", "--init"] })
        {
            var (code, _, err) = await cluster.RunAsync(0, args);
            code.Should().Be(2, string.Join(' ', args));
            err.Should().Contain("OZONE_SIM_VERSION is '1.4.1'");
        }
    }

    // GetServiceRolesSubcommand 2.1.0 has `-id`/`--service-id`; OmAddressOptions (2.2.0) adds `--om-service-id`.
    [Theory]
    [InlineData("2.0.0", 2)]
    [InlineData("2.1.0", 2)]
    [InlineData("2.2.1", 0)]
    [InlineData("master", 0)]
    public async Task Only_2_2_and_later_take_om_service_id(string release, int exitCode)
    {
        cluster.Release = release;
        await cluster.FormRingAsync(3);

        var (code, _, err) = await cluster.RunAsync(0, "admin", "om", "roles", "--om-service-id", "svc", "--json");

        code.Should().Be(exitCode, err);
        if (exitCode == 2) err.Should().Contain("Unknown option: '--om-service-id'");
    }

    // master: GenericCli's preprocessor rewrites old names through DeprecatedCliOption and warns on stderr.
    [Theory]
    [InlineData("2.1.0", false)]
    [InlineData("2.2.1", false)]
    [InlineData("master", true)]
    public async Task Old_option_names_work_everywhere_and_only_master_warns(string release, bool warns)
    {
        cluster.Release = release;
        await cluster.FormRingAsync(3);
        var leader = cluster.State.Read().Leader!;
        var target = new[] { "om0", "om1", "om2" }.First(n => n != leader);

        var (code, output, err) = await cluster.RunAsync(0, "admin", "om", "transfer", "-id", "svc", "--newLeaderId", target);

        code.Should().Be(0, err);
        output.Should().Contain($"Transfer leadership successfully to {target}.");
        cluster.State.Read().Leader.Should().Be(target);
        if (warns)
            err.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().Equal(
                "WARNING: Option '-id' is deprecated. Use '--service-id' instead.",
                "WARNING: Option '--newLeaderId' is deprecated. Use '--new-leader-id' instead.");
        else
            err.Should().BeEmpty();
    }

    [Theory]
    [InlineData("2.0.0")]
    [InlineData("2.1.0")]
    [InlineData("2.2.1")]
    [InlineData("master")]
    public async Task The_long_option_names_work_on_every_release_without_a_warning(string release)
    {
        cluster.Release = release;
        await cluster.FormRingAsync(3);

        var roles = await cluster.RunAsync(0, "admin", "om", "roles", "--service-id", "svc", "--json");

        roles.Code.Should().Be(0, roles.Err);
        roles.Err.Should().BeEmpty();
    }

    [Theory]
    [InlineData("2.1.0", "ratis", "snapshot")]
    [InlineData("2.2.1", "om.ratis", "om.ratis.snapshot")]
    [InlineData("master", "om.ratis", "om.ratis.snapshot")]
    public async Task A_new_OM_keeps_its_Ratis_log_and_snapshots_in_its_release_s_dirs(string release, string ratis, string snapshot)
    {
        cluster.Release = release;
        await cluster.FormRingAsync(1);

        Directory.EnumerateFileSystemEntries(cluster.Metadata(0)).Select(Path.GetFileName).Should().Contain([ratis, snapshot])
            .And.NotContain(ratis == "ratis" ? "om.ratis" : "ratis");
    }

    // ServerUtils#findExistingRatisDirectory (2.2.0): an upgraded OM keeps using a non-empty `ratis`.
    [Fact]
    public async Task An_OM_upgraded_to_2_2_keeps_the_Ratis_log_an_older_release_wrote()
    {
        cluster.Release = "2.1.0";
        await cluster.FormRingAsync(1);
        var stop = cluster.State.Read().Running["om0"].Pid;
        System.Diagnostics.Process.GetProcessById(stop).Kill();
        await cluster.UntilAsync(r => !r.Running.ContainsKey("om0"), "om0 stopped");

        cluster.Release = "2.2.1";
        cluster.Start(0);
        await cluster.UntilAsync(r => r.Running.ContainsKey("om0") && r.Leader == "om0", "om0 leads again on 2.2");

        var entries = Directory.EnumerateFileSystemEntries(cluster.Metadata(0)).Select(Path.GetFileName).ToList();
        entries.Should().Contain("ratis").And.NotContain("om.ratis", "2.2 finds the old log and keeps using it");
        entries.Should().Contain("om.ratis.snapshot", "the snapshot dir has no such fallback");
    }
}
