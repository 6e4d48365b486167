using OmLifecycle.Cli;
using OmLifecycle.Volume;

namespace OmLifecycle.Tests.Volume;

/// <summary>
/// The OM data keys are read from the ozone-site.xml the OM reads (fixture site/om-data-dirs.xml);
/// a value a wipe could not keep inside this OM's volume is refused, naming the key and the fix.
/// </summary>
public sealed class OmDataLocationsTests : IDisposable
{
    private readonly string volume = Directory.CreateTempSubdirectory("omdirs").FullName;

    private string MetadataDir => Path.Combine(volume, "metadata");

    private string SitePath => Path.Combine(volume, "ozone-site.xml");

    public void Dispose() => Directory.Delete(volume, recursive: true);

    [Fact]
    public void Each_key_of_the_fixture_is_followed()
    {
        var fixture = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "fixtures", "site", "om-data-dirs.xml"));
        File.WriteAllText(SitePath, fixture.Replace("@VOLUME@", volume, StringComparison.Ordinal));

        var at = OmDataLocations.Load(MetadataDir, SitePath);

        at.DbDir.Should().Be(Path.Combine(volume, "om-db"));
        at.RatisDir.Should().Be(Path.Combine(volume, "om-ratis"));
        at.SnapshotDir.Should().Be(Path.Combine(volume, "om-ratis-snapshot"));
        at.VersionPath.Should().Be(Path.Combine(volume, "om-db", "om", "current", "VERSION"));
    }

    [Fact]
    public void No_file_and_empty_values_mean_everything_under_ozone_metadata_dirs()
    {
        OmDataLocations.Load(MetadataDir, SitePath).Should().Be(OmDataLocations.Default(MetadataDir));
        OmDataLocations.From(MetadataDir, Site(OmDataLocations.RatisStorageDirKey, "  "), "f").Should().Be(OmDataLocations.Default(MetadataDir));
    }

    [Theory]
    [InlineData("ozone.om.ratis.storage.dir", "/mnt/shared/ratis", "outside this OM's volume")]
    [InlineData("ozone.om.ratis.snapshot.dir", "/", "not an absolute, normalized data directory")]
    [InlineData("ozone.om.db.dirs", "relative/db", "not an absolute, normalized data directory")]
    [InlineData("ozone.om.db.dirs", "@VOLUME@/a,@VOLUME@/b", "a list")]
    [InlineData("ozone.om.ratis.storage.dir", "@VOLUME@/../other-pvc/ratis", "not an absolute, normalized data directory")]
    [InlineData("ozone.om.ratis.storage.dir", "@VOLUME@", "outside this OM's volume")]
    [InlineData("ozone.om.ratis.storage.dir", "@VOLUME@/metadata", "is ozone.metadata.dirs")]
    [InlineData("ozone.om.db.dirs", "/srv/elsewhere/om-db", "outside this OM's volume")]
    public void A_value_a_wipe_could_not_keep_inside_the_volume_is_refused_naming_the_key_and_the_fix(string key, string value, string why)
    {
        var act = () => OmDataLocations.From(MetadataDir, Site(key, value.Replace("@VOLUME@", volume, StringComparison.Ordinal)), "/etc/hadoop/ozone-site.xml");

        act.Should().Throw<LifecycleException>()
            .Which.Message.Should().Contain($"{key} in /etc/hadoop/ozone-site.xml").And.Contain(why).And.Contain($"Set {key}").And.Contain("Nothing was changed");
    }

    [Fact]
    public void A_Ratis_dir_that_holds_the_DB_dir_or_the_other_Ratis_dir_is_refused()
    {
        var both = new Dictionary<string, string>
        {
            [OmDataLocations.RatisStorageDirKey] = Path.Combine(volume, "om"),
            [OmDataLocations.RatisSnapshotDirKey] = Path.Combine(volume, "om", "snapshot"),
        };
        var db = new Dictionary<string, string>
        {
            [OmDataLocations.DbDirsKey] = Path.Combine(volume, "om", "db"),
            [OmDataLocations.RatisStorageDirKey] = Path.Combine(volume, "om"),
        };

        ((Action)(() => OmDataLocations.From(MetadataDir, both, "f"))).Should().Throw<LifecycleException>()
            .Which.Message.Should().Contain("ozone.om.ratis.storage.dir in f").And.Contain("contains ozone.om.ratis.snapshot.dir");
        ((Action)(() => OmDataLocations.From(MetadataDir, db, "f"))).Should().Throw<LifecycleException>()
            .Which.Message.Should().Contain("contains ozone.om.db.dirs");
    }

    private static Dictionary<string, string> Site(string key, string value) => new() { [key] = value };
}
