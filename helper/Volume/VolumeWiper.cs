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

    public static bool HoldsOmData(string metadataDir) =>
        Entries(metadataDir).Any() || File.Exists(BootstrapMarker.PathIn(metadataDir));

    /// <summary>Every OM artifact present in the directory.</summary>
    private static IEnumerable<string> Entries(string metadataDir)
    {
        var present = OmEntries.Select(e => Path.Combine(metadataDir, e)).Where(Path.Exists);
        var backups = Directory.Exists(metadataDir) ? Directory.EnumerateFileSystemEntries(metadataDir, DbBackupPattern) : [];
        return present.Concat(backups).ToList();
    }

    /// <summary>
    /// Removes the OM metadata, the marker LAST: a wipe killed half-way leaves the marker, so it is
    /// seen as unfinished and done again. True when anything was removed.
    /// </summary>
    public static bool Wipe(string metadataDir)
    {
        var removed = false;
        foreach (var path in Entries(metadataDir))
        {
            if (Directory.Exists(path)) { Directory.Delete(path, recursive: true); removed = true; }
            else if (File.Exists(path)) { File.Delete(path); removed = true; }
        }
        if (File.Exists(BootstrapStarted.PathIn(metadataDir))) { BootstrapStarted.Clear(metadataDir); removed = true; }
        var marker = BootstrapMarker.PathIn(metadataDir);
        if (File.Exists(marker)) { File.Delete(marker); removed = true; }
        return removed;
    }
}
