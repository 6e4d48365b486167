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

    private void Create(string relative)
    {
        var path = Path.Combine(dir, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, "x");
    }
}
