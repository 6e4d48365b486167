using OmLifecycle.Cli;
using OmLifecycle.Membership;

namespace OmLifecycle.Volume;

/// <summary>
/// Where this OM keeps its data: ozone.metadata.dirs (the document's metadataDir) and the keys that
/// move parts of it elsewhere, read from the ozone-site.xml the OM itself reads. Ozone 2.0–2.2:
/// the DB and VERSION follow ozone.om.db.dirs (OMStorage.getOmDbDir → ServerUtils.getDBPath), the
/// Ratis log ozone.om.ratis.storage.dir and the Ratis snapshots ozone.om.ratis.snapshot.dir
/// (OzoneManagerRatisUtils.getOMRatisDirectory / getOMRatisSnapshotDirectory).
/// </summary>
public sealed record OmDataLocations(string MetadataDir, string? DbDir, string? RatisDir, string? SnapshotDir)
{
    public const string DbDirsKey = "ozone.om.db.dirs";
    public const string RatisStorageDirKey = "ozone.om.ratis.storage.dir";
    public const string RatisSnapshotDirKey = "ozone.om.ratis.snapshot.dir";

    /// <summary>Every key that moves OM data out of ozone.metadata.dirs (the chart refuses the same keys outside om.persistence.path).</summary>
    public static IReadOnlyList<string> Keys { get; } = [DbDirsKey, RatisStorageDirKey, RatisSnapshotDirKey];

    /// <summary>Nothing moved: everything under metadataDir.</summary>
    public static OmDataLocations Default(string metadataDir) => new(metadataDir, null, null, null);

    /// <summary>The directory of om/current/VERSION, om.db and the DB's checkpoints, snapshots and backups.</summary>
    public string DbRoot => DbDir ?? MetadataDir;

    public string VersionPath => OmVersionFile.PathIn(DbRoot);

    /// <summary>The OM volume's mount: the parent of metadataDir (the chart's `&lt;om.persistence.path&gt;/metadata`).</summary>
    public string VolumeRoot => Path.GetDirectoryName(MetadataDir) ?? "/";

    /// <summary>Every directory a wipe of this node empties, for messages.</summary>
    public string Describe() => string.Join(", ", new[]
    {
        MetadataDir,
        DbDir is null ? null : $"{DbDirsKey} {DbDir}",
        RatisDir is null ? null : $"{RatisStorageDirKey} {RatisDir}",
        SnapshotDir is null ? null : $"{RatisSnapshotDirKey} {SnapshotDir}",
    }.OfType<string>());

    /// <summary>
    /// Reads the keys from <paramref name="ozoneSitePath"/>; refuses, naming the key and the fix, a
    /// value a wipe could not keep inside this OM's volume. Nothing is touched here.
    /// </summary>
    public static OmDataLocations Load(string metadataDir, string ozoneSitePath) =>
        From(metadataDir, Ozone.OzoneSiteXml.Read(ozoneSitePath), ozoneSitePath);

    public static OmDataLocations From(string metadataDir, IReadOnlyDictionary<string, string> site, string source)
    {
        var locations = new OmDataLocations(metadataDir,
            Dir(site, DbDirsKey, metadataDir, source),
            Dir(site, RatisStorageDirKey, metadataDir, source),
            Dir(site, RatisSnapshotDirKey, metadataDir, source));
        locations.RefuseOverlaps(source);
        return locations;
    }

    /// <summary>The configured directory, or null when the key is unset (Ozone treats empty as unset).</summary>
    private static string? Dir(IReadOnlyDictionary<string, string> site, string key, string metadataDir, string source)
    {
        if (!site.TryGetValue(key, out var raw) || raw.Trim().Length == 0) return null;
        var value = raw.Trim();
        var volume = Path.GetDirectoryName(metadataDir) ?? "/";
        string Fix() => $"Set {key} to a directory of its own inside the OM volume ({volume}), e.g. {volume}/{Example(key)}, or remove it (then it follows ozone.metadata.dirs, {metadataDir}). Nothing was changed.";
        if (value.Contains(','))
            throw LifecycleException.Refused($"{key} in {source} is '{UntrustedText.Show(value)}', a list; Ozone takes one directory for it (ServerUtils.getDirectoryFromConfig). {Fix()}");
        if (!MembershipLimits.IsDataDirectory(value))
            throw LifecycleException.Refused($"{key} in {source} is '{UntrustedText.Show(value)}', which is not an absolute, normalized data directory (no '.', '..', empty segment or trailing '/', no system directory): a wipe removes what is in it. {Fix()}");
        if (!IsInside(value, volume) || !MembershipLimits.IsDataDirectory(volume))
            throw LifecycleException.Refused($"{key} in {source} is '{UntrustedText.Show(value)}', outside this OM's volume ({volume}): a wipe of this node would reach another volume or the root filesystem, or leave this node's data behind. {Fix()}");
        return value;
    }

    /// <summary>
    /// The Ratis and snapshot dirs are emptied whole, so neither may hold metadataDir, the DB dir or
    /// the other one: emptying it would remove more than that part of the OM's data.
    /// </summary>
    private void RefuseOverlaps(string source)
    {
        foreach (var (key, dir) in new[] { (RatisStorageDirKey, RatisDir), (RatisSnapshotDirKey, SnapshotDir) })
        {
            if (dir is null) continue;
            var others = new[] { ("ozone.metadata.dirs", (string?)MetadataDir), (DbDirsKey, DbDir), (RatisStorageDirKey, RatisDir), (RatisSnapshotDirKey, SnapshotDir) }
                .Where(o => o.Item1 != key && o.Item2 is not null);
            foreach (var (otherKey, other) in others)
            {
                if (dir == other || IsInside(other!, dir))
                    throw LifecycleException.Refused($"{key} in {source} is '{dir}', which {(dir == other ? "is" : "contains")} {otherKey} ({other}): a wipe empties {key} whole and would take that data with it. Set {key} to a directory of its own inside the OM volume ({VolumeRoot}), e.g. {VolumeRoot}/{Example(key)}. Nothing was changed.");
            }
        }
    }

    private static string Example(string key) => key switch
    {
        DbDirsKey => "om-db",
        RatisStorageDirKey => "om-ratis",
        _ => "om-ratis-snapshot",
    };

    private static bool IsInside(string path, string dir) =>
        path.Length > dir.Length && path.StartsWith(dir, StringComparison.Ordinal) && path[dir.Length] == '/';
}
