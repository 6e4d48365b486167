using OmLifecycle.Tests.Cli;

namespace OmLifecycle.Tests.EndToEnd;

/// <summary>
/// The real binary against the simulator playing each Ozone release the chart may run: option
/// names and the OM's Ratis directories differ between 2.0/2.1, 2.2 and master
/// (tests/OzoneSimulator/OzoneVersion.cs cites where).
/// </summary>
public sealed class OzoneReleasesTests : IAsyncLifetime
{
    private readonly SimulatedRing ring = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await ring.DisposeAsync();

    [Theory]
    [InlineData("2.0.0", "ratis", "snapshot")]
    [InlineData("2.1.0", "ratis", "snapshot")]
    [InlineData("2.2.1", "om.ratis", "om.ratis.snapshot")]
    [InlineData("master", "om.ratis", "om.ratis.snapshot")]
    public async Task A_leaving_leader_is_moved_removed_and_wiped_with_options_every_release_takes_without_a_warning(string release, string ratisDir, string snapshotDir)
    {
        ring.OzoneRelease = release;
        await ring.InstallAsync(4);
        (await OmLifecycleBinary.RunAsync(ring.HookEnv(ring.Membership(4, 4)), "transfer-leader", "--to", "ozone-om-3")).ExitCode.Should().Be(0);
        Directory.Exists(Path.Combine(ring.MetadataDir(3), ratisDir)).Should().BeTrue($"Ozone {release} keeps the OM's Raft log there");
        Directory.Exists(Path.Combine(ring.MetadataDir(3), snapshotDir)).Should().BeTrue($"Ozone {release} creates the OM's snapshot dir there at start");

        var scaleIn = await OmLifecycleBinary.RunAsync(ring.HookEnv(ring.Membership(3, 4)), "scale-in", "--replicas", "3");
        var wipe = await OmLifecycleBinary.RunAsync(ring.WipeEnv(ring.Membership(3, 4), 3), "wipe", "--node", "ozone-om-3");

        scaleIn.ExitCode.Should().Be(0, scaleIn.Stderr);
        ring.Ring().Voters.Should().Equal("ozone-om-0", "ozone-om-1", "ozone-om-2");
        wipe.ExitCode.Should().Be(0, wipe.Stderr);
        var volume = ring.MetadataDir(3);
        (Directory.Exists(volume) ? Directory.EnumerateFileSystemEntries(volume) : []).Should().BeEmpty("a wipe leaves nothing of the node's data, in this release's layout");
        var calls = OzoneAdminCalls();
        calls.Select(c => c[2]).Should().Contain(["transfer", "decommission"], "the hooks moved leadership and removed the node through `ozone admin om`");
        // Master rewrites these with a WARNING on stderr (DeprecatedCliOption); 2.0/2.1 do not know --om-service-id.
        calls.SelectMany(c => c).Should().NotContain(["-id", "-nodeid", "-hostname", "--newLeaderId", "--om-service-id"]);
    }

    /// <summary>The arguments of every `ozone admin …` call the simulator recorded.</summary>
    private List<List<string>> OzoneAdminCalls() =>
        ring.OzoneCalls()
            .Where(c => c.Args is ["admin", ..])
            .Select(c => c.Args.Where(a => !a.StartsWith("--set=", StringComparison.Ordinal)).ToList())
            .ToList();
}
