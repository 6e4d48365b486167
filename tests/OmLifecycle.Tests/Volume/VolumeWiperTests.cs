using OmLifecycle.Volume;

namespace OmLifecycle.Tests.Volume;

/// <summary>What a wipe removes: every OM artifact of Ozone 2.0–2.2 (see the fixtures' README), nothing else.</summary>
public sealed class VolumeWiperTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("wiper").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Theory]
    [InlineData("om/current/VERSION")]
    [InlineData("om.db/CURRENT")]
    [InlineData("ratis/group-1C3F5A8D2E70/current/log_0-10")]
    [InlineData("om.ratis/group-1C3F5A8D2E70/current/log_0-10")]
    [InlineData("snapshot/om.db-1-10/CURRENT")]
    [InlineData("om.ratis.snapshot/om.db-1-10/CURRENT")]
    [InlineData("db.snapshots/checkpointState/CURRENT")]
    [InlineData("db.checkpoints/om.db_checkpoint_1/CURRENT")]
    [InlineData("om.db.backup.1764172800000/CURRENT")]
    [InlineData("dbInconsistentMarker")]
    [InlineData("omMetrics")]
    public void Each_OM_artifact_counts_as_OM_data_and_is_removed(string artifact)
    {
        Create(artifact);

        VolumeWiper.HoldsOmData(dir).Should().BeTrue();
        VolumeWiper.Wipe(dir).Should().BeTrue();

        Directory.EnumerateFileSystemEntries(dir).Should().BeEmpty();
        VolumeWiper.HoldsOmData(dir).Should().BeFalse();
    }

    [Fact]
    public void Data_that_is_not_the_OMs_stays_and_a_second_wipe_changes_nothing()
    {
        Create("om/current/VERSION");
        Create("om.db.backup.1/CURRENT");
        Create("lost+found/x");
        Create("scm/current/VERSION");
        Create("om.dbx");

        VolumeWiper.Wipe(dir).Should().BeTrue();
        VolumeWiper.Wipe(dir).Should().BeFalse();

        Directory.EnumerateFileSystemEntries(dir).Select(Path.GetFileName).Should().BeEquivalentTo("lost+found", "scm", "om.dbx");
    }

    [Theory]
    [InlineData("om-db/om/current/VERSION")]
    [InlineData("om-db/om.db/CURRENT")]
    [InlineData("om-db/db.checkpoints/om.db_checkpoint_1/CURRENT")]
    [InlineData("om-db/om.db.backup.1764172800000/CURRENT")]
    [InlineData("om-ratis/1c3f5a8d-2e70-3b4c-9d5e-6f708192a3b4/current/log_0-10")]
    [InlineData("om-ratis-snapshot/om.db-1-10/CURRENT")]
    public void Data_in_a_directory_of_its_own_counts_as_OM_data_and_is_removed_and_the_directory_stays(string artifact)
    {
        var at = new OmDataLocations(Path.Combine(dir, "metadata"), Path.Combine(dir, "om-db"), Path.Combine(dir, "om-ratis"), Path.Combine(dir, "om-ratis-snapshot"));
        Create(artifact);

        VolumeWiper.HoldsOmData(at).Should().BeTrue("a node whose data lives in {0} is not empty", artifact);
        VolumeWiper.Wipe(at).Should().BeTrue();

        VolumeWiper.HoldsOmData(at).Should().BeFalse();
        var top = artifact.Split('/')[0];
        Directory.Exists(Path.Combine(dir, top)).Should().BeTrue("the configured directory may be a mount point");
        Directory.EnumerateFileSystemEntries(Path.Combine(dir, top)).Should().BeEmpty();
    }

    [Fact]
    public void Moved_data_is_wiped_with_the_marker_last_and_other_data_stays()
    {
        var at = new OmDataLocations(Path.Combine(dir, "metadata"), Path.Combine(dir, "om-db"), Path.Combine(dir, "om-ratis"), null);
        Create("metadata/om-lifecycle.marker");
        Create("om-db/om/current/VERSION");
        Create("om-ratis/1c3f5a8d-2e70-3b4c-9d5e-6f708192a3b4/current/log_0-10");
        Create("om-db/notes.txt");
        Create("scm/current/VERSION");

        VolumeWiper.Wipe(at).Should().BeTrue();

        File.Exists(Path.Combine(dir, "metadata", "om-lifecycle.marker")).Should().BeFalse();
        Directory.EnumerateFileSystemEntries(Path.Combine(dir, "om-db")).Select(Path.GetFileName).Should().Equal("notes.txt");
        Directory.Exists(Path.Combine(dir, "scm")).Should().BeTrue();
        VolumeWiper.Wipe(at).Should().BeFalse();
    }

    private void Create(string relative)
    {
        var path = Path.Combine(dir, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, "x");
    }
}
