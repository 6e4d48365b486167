namespace OmLifecycle.Volume;

/// <summary>Removes an OM's metadata from its volume so that its ordinal can join again as a new node.</summary>
public static class VolumeWiper
{
    /// <summary>Ozone's OM data under ozone.metadata.dirs (names up to 2.1 and from 2.2).</summary>
    public static readonly string[] OmEntries = ["om", "om.db", "ratis", "om.ratis", "snapshot", "om.ratis.snapshot", "db.snapshots"];

    public static bool HoldsOmData(string metadataDir) =>
        OmEntries.Any(e => Path.Exists(Path.Combine(metadataDir, e))) || File.Exists(BootstrapMarker.PathIn(metadataDir));

    /// <summary>
    /// Removes the OM metadata, the marker LAST: a wipe killed half-way leaves the marker, so it is
    /// seen as unfinished and done again. True when anything was removed.
    /// </summary>
    public static bool Wipe(string metadataDir)
    {
        var removed = false;
        foreach (var entry in OmEntries)
        {
            var path = Path.Combine(metadataDir, entry);
            if (Directory.Exists(path)) { Directory.Delete(path, recursive: true); removed = true; }
            else if (File.Exists(path)) { File.Delete(path); removed = true; }
        }
        var marker = BootstrapMarker.PathIn(metadataDir);
        if (File.Exists(marker)) { File.Delete(marker); removed = true; }
        return removed;
    }
}
