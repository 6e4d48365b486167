namespace OmLifecycle.Volume;

/// <summary>Removes an OM's metadata from its volume so that its ordinal can join again as a new node.</summary>
public static class VolumeWiper
{
    /// <summary>
    /// Ozone's OM data under ozone.metadata.dirs, names up to 2.1 and from 2.2: VERSION under om/,
    /// the DB, Ratis log and snapshots, DB snapshots and checkpoints, the marker of an interrupted
    /// checkpoint install (the OM exits 1 at start while it exists) and the saved metrics file.
    /// </summary>
    public static readonly string[] OmEntries =
        ["om", "om.db", "ratis", "om.ratis", "snapshot", "om.ratis.snapshot", "db.snapshots", "db.checkpoints", "dbInconsistentMarker", "omMetrics"];

    /// <summary>2.2's checkpoint install keeps the replaced DB as om.db.backup.&lt;time&gt;.</summary>
    private const string DbBackupPattern = "om.db.backup.*";

    public static bool HoldsOmData(string metadataDir) => HoldsOmData(OmDataLocations.Default(metadataDir));

    /// <summary>Any OM artifact in any of the OM's directories, or the marker: a node whose Ratis dir lives elsewhere is not empty.</summary>
    public static bool HoldsOmData(OmDataLocations at) =>
        Entries(at).Any() || File.Exists(BootstrapMarker.PathIn(at.MetadataDir));

    /// <summary>
    /// Every OM artifact present. The OM names are looked for in the DB dir as well as metadataDir
    /// (which of them moves with ozone.om.db.dirs differs between versions: take both); the Ratis
    /// and snapshot dirs, when set, are the OM's alone, so all they hold.
    /// </summary>
    private static IEnumerable<string> Entries(OmDataLocations at)
    {
        var named = new[] { at.MetadataDir, at.DbRoot }.Distinct().SelectMany(NamedEntries);
        var owned = new[] { at.RatisDir, at.SnapshotDir }.OfType<string>().Where(Directory.Exists).SelectMany(Directory.EnumerateFileSystemEntries);
        return named.Concat(owned).Distinct().ToList();
    }

    private static IEnumerable<string> NamedEntries(string dir)
    {
        var present = OmEntries.Select(e => Path.Combine(dir, e)).Where(Path.Exists);
        var backups = Directory.Exists(dir) ? Directory.EnumerateFileSystemEntries(dir, DbBackupPattern) : [];
        return present.Concat(backups);
    }

    public static bool Wipe(string metadataDir) => Wipe(OmDataLocations.Default(metadataDir));

    /// <summary>
    /// Removes the OM metadata in every location, the marker LAST: a wipe killed half-way leaves the
    /// marker, so it is seen as unfinished and done again. The configured directories themselves
    /// stay (one may be a mount point). True when anything was removed.
    /// </summary>
    public static bool Wipe(OmDataLocations at)
    {
        var removed = false;
        foreach (var path in Entries(at))
        {
            if (Directory.Exists(path) && !File.GetAttributes(path).HasFlag(FileAttributes.ReparsePoint)) { Directory.Delete(path, recursive: true); removed = true; }
            else if (Path.Exists(path)) { File.Delete(path); removed = true; }
        }
        var metadataDir = at.MetadataDir;
        if (File.Exists(BootstrapStarted.PathIn(metadataDir))) { BootstrapStarted.Clear(metadataDir); removed = true; }
        var marker = BootstrapMarker.PathIn(metadataDir);
        if (File.Exists(marker)) { File.Delete(marker); removed = true; }
        return removed;
    }
}
