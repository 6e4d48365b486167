using OmLifecycle.Lifecycle;
using OmLifecycle.Ozone;

namespace OmLifecycle.Tests.Ozone;

/// <summary>
/// Every stderr shape in tests/fixtures/ozone/stderr is classified by its first relevant line, never
/// by the exit code alone (exit 1 is the pre-check, dbInconsistentMarker, snapshot installs and the
/// launcher alike) and never by a WARNING line printed before the error.
/// </summary>
public sealed class OzoneStderrTests
{
    public static TheoryData<string, int, OzoneFailureKind, string> Cases => new()
    {
        // fixture, exit code, kind, the line that must be chosen (a fragment)
        { "om-bootstrap-precheck.txt", 1, OzoneFailureKind.BootstrapPreCheck, "do not have or have incorrect information of the bootstrapping OM" },
        { "om-bootstrap-no-leader.txt", 255, OzoneFailureKind.NoLeader, "Error Code: LEADER_UNDETERMINED" },
        { "om-bootstrap-ratis-error.txt", 255, OzoneFailureKind.BootstrapRefused, "Error Code: RATIS_BOOTSTRAP_ERROR" },
        { "om-bootstrap-reconfiguration-in-progress.txt", 255, OzoneFailureKind.BootstrapRefused, "Reconfiguration is already in progress" },
        { "om-db-inconsistent-marker.txt", 1, OzoneFailureKind.DbInconsistent, "dbInconsistentMarker" },
        { "om-snapshot-install.txt", 1, OzoneFailureKind.SnapshotInstall, "Failed to install snapshot" },
        { "om-version-other-node.txt", 255, OzoneFailureKind.VersionOfAnotherNode, "does not match the existing nodeId" },
        { "om-scm-version-mismatch.txt", 255, OzoneFailureKind.VersionOfAnotherCluster, "clusterId from ozone-scm-0.ozone-scm-headless.default.svc.cluster.local:9863 is CID-2b1e7c0f" },
        { "om-not-initialized.txt", 255, OzoneFailureKind.NotInitialized, "OM not initialized" },
        { "om-init-failed.txt", 255, OzoneFailureKind.InitFailed, "OM Init failed." },
        { "om-init-already-initialized.txt", 0, OzoneFailureKind.Unknown, "already initialized" },
        { "launcher-unable-to-write.txt", 1, OzoneFailureKind.LauncherCannotWrite, "ERROR: Unable to write in /var/log/hadoop. Aborting." },
        { "envtoconf-oserror.txt", 1, OzoneFailureKind.EnvToConfFailed, "OSError: [Errno 30] Read-only file system" },
        { "admin-decommission-not-in-peer-list.txt", 255, OzoneFailureKind.NotInPeerList, "OM node not present in the OM peer list." },
        { "admin-decommission-master-deprecation.txt", 255, OzoneFailureKind.NotInPeerList, "OM node not present in the OM peer list." },
        { "admin-decommission-reconfiguration-in-progress.txt", 255, OzoneFailureKind.ReconfigurationInProgress, "failed with error: Reconfiguration is already in progress" },
    };

    private static string Fixture(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "fixtures", "stderr", name));

    [Theory]
    [MemberData(nameof(Cases))]
    public void Each_fixture_is_classified_by_its_first_relevant_line(string fixture, int exitCode, OzoneFailureKind kind, string line)
    {
        var failure = OzoneStderr.Classify(Fixture(fixture));

        failure.Kind.Should().Be(kind, $"{fixture} exits {exitCode}");
        failure.Line.Should().Contain(line);
        failure.Line.Should().NotStartWith("WARNING:").And.NotStartWith("Traceback");
    }

    [Fact]
    public void Every_stderr_fixture_has_a_case()
    {
        var files = Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "fixtures", "stderr")).Select(Path.GetFileName).Where(f => f != "README.md");
        var covered = Cases.Select(c => (string)c[0]);

        files.Should().BeEquivalentTo(covered, "a new stderr shape needs its expected class here");
    }

    // Exit 1 is not always the pre-check: only the pre-check's own line, or a leader refusing the add
    // for now, makes a bootstrap worth repeating; a missing leader was already retried for minutes.
    [Theory]
    [InlineData("om-bootstrap-precheck.txt", 1, true)]
    [InlineData("om-bootstrap-reconfiguration-in-progress.txt", 255, true)]
    [InlineData("om-bootstrap-ratis-error.txt", 255, true)]
    [InlineData("om-bootstrap-no-leader.txt", 255, false)]
    [InlineData("om-version-other-node.txt", 255, false)]
    [InlineData("om-scm-version-mismatch.txt", 255, false)]
    [InlineData("om-db-inconsistent-marker.txt", 1, false)]
    [InlineData("om-snapshot-install.txt", 1, false)]
    [InlineData("launcher-unable-to-write.txt", 1, false)]
    [InlineData("envtoconf-oserror.txt", 1, false)]
    [InlineData("om-bootstrap-precheck.txt", 255, false)]
    public void Only_the_pre_check_and_a_refused_add_retry_a_bootstrap(string fixture, int exitCode, bool retry)
    {
        OmExit.IsWorthAnotherBootstrap(exitCode, Fixture(fixture)).Should().Be(retry);
    }

    [Fact]
    public void An_exit_is_explained_with_Ozones_own_line_and_what_to_do()
    {
        var said = OmExit.Explain("ozone-om-3", 1, Fixture("om-db-inconsistent-marker.txt"));

        said.Should().Contain("ozone-om-3").And.Contain("exited 1").And.Contain("dbInconsistentMarker").And.Contain("no pre-check failure");
    }

    // A volume kept from another cluster: the message names both ids (from Ozone's line) and both ways out.
    [Fact]
    public void A_volume_of_another_cluster_is_explained_with_both_cluster_ids_and_both_ways_out()
    {
        var said = OmExit.Explain("ozone-om-1", 255, Fixture("om-scm-version-mismatch.txt"));

        said.Should().Contain("VersionOfAnotherCluster").And.Contain("CID-2b1e7c0f").And.Contain("CID-9a4c1e55")
            .And.Contain("SCM volumes").And.Contain("delete the release's old volumes");
    }

    // A bootstrap against a ring with no leader fails over for minutes: say "no leader", not HDDS-16057.
    [Fact]
    public void A_stuck_bootstrap_without_a_leader_is_reported_as_no_leader_not_HDDS_16057()
    {
        var noLeader = OmExit.StuckBootstrap("ozone-om-3", RingView.Empty, TimeSpan.FromMinutes(10));
        var withLeader = OmExit.StuckBootstrap("ozone-om-3", new RingView("ozone-om-0", ["ozone-om-0"], new Dictionary<string, NodeProbe>(), "group-1"), TimeSpan.FromMinutes(10));

        noLeader.Should().Contain("no leader").And.NotContain("HDDS-16057");
        withLeader.Should().Contain("HDDS-16057").And.Contain("ozone-om-0");
    }
}
