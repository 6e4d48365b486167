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

    // hadoop-hdds/config StorageSize.parse and StorageUnit: binary multiples, case-insensitive.
    [Theory]
    [InlineData("5GB", 5L * 1024 * 1024 * 1024)]
    [InlineData("512mb", 512L * 1024 * 1024)]
    [InlineData("1.5g", 3L * 512 * 1024 * 1024)]
    [InlineData("100b", 100L)]
    [InlineData(" 2 KB ", 2048L)]
    public void Ozone_storage_sizes_are_binary(string text, long bytes) => BootstrapSpace.StorageBytes(text).Should().Be(bytes);

    [Fact]
    public void A_storage_size_without_a_unit_fails_as_Ozone_does() =>
        FluentActions.Invoking(() => BootstrapSpace.StorageBytes("5000")).Should().Throw<SimExit>().Which.Message.Should().Contain("Expected format is <number><unit>");

    // OmRatisSnapshotProvider (master): a leader of an older release sends no SST estimate, so the
    // joiner needs ozone.om.bootstrap.min.space (5GB) free on its snapshot volume; a master leader's
    // estimate times the headroom ratio (2.0) is what a small ring needs. Before master: no check.
    [Theory]
    [InlineData("2.2.1", "master", false)]
    [InlineData("master", "master", true)]
    [InlineData("2.2.1", "2.2.1", true)]
    public async Task A_master_joiner_on_a_1_GiB_volume_joins_only_when_its_leader_sends_an_estimate(string ringRelease, string joinerRelease, bool joins)
    {
        cluster.Release = ringRelease;
        await cluster.FormRingAsync(3);
        for (var i = 0; i < 4; i++) cluster.Configure(i, [0, 1, 2, 3]);
        cluster.Release = joinerRelease;
        cluster.VolumeBytes = $"{Path.GetDirectoryName(cluster.Metadata(3))}={1L << 30}";

        var joiner = cluster.Start(3, "--bootstrap");

        if (joins)
        {
            await cluster.UntilAsync(r => r.Voters.Contains("om3"), "om3 joined");
            cluster.StderrSoFar(joiner).Should().NotContain("aborted");
        }
        else
        {
            await cluster.UntilAsync(() => cluster.StderrSoFar(joiner).Contains("install snapshot aborted"), "om3 refused the checkpoint");
            cluster.StderrSoFar(joiner).Should().Contain($"has usable space").And.Contain($"but at least {5L << 30} bytes is required (from ozone.om.bootstrap.min.space)");
            joiner.HasExited.Should().BeFalse("the joiner keeps running and never catches up");
            cluster.State.Read().Voters.Should().NotContain("om3");
        }
    }

    [Fact]
    public async Task A_lower_min_space_lets_a_master_joiner_take_an_older_leaders_checkpoint()
    {
        cluster.Release = "2.2.1";
        await cluster.FormRingAsync(3);
        for (var i = 0; i < 4; i++) cluster.Configure(i, [0, 1, 2, 3]);
        File.WriteAllText(Path.Combine(cluster.ConfDir(3), "ozone-site.xml"),
            File.ReadAllText(Path.Combine(cluster.ConfDir(3), "ozone-site.xml")).Replace("</configuration>", "<property><name>ozone.om.bootstrap.min.space</name><value>512MB</value></property></configuration>"));
        cluster.Release = "master";
        cluster.VolumeBytes = $"{Path.GetDirectoryName(cluster.Metadata(3))}={1L << 30}";

        cluster.Start(3, "--bootstrap");

        await cluster.UntilAsync(r => r.Voters.Contains("om3"), "om3 joined");
    }
}
