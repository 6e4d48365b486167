using System.Globalization;

namespace OzoneSimulator;

/// <summary>
/// master (2.3.0-SNAPSHOT) only: before a joiner downloads the leader's checkpoint it checks the
/// usable space of the volume holding its Ratis snapshot dir (OmRatisSnapshotProvider
/// #ensureBootstrapDiskSpaceForRequiredBytes). The requirement is the leader's SST size estimate
/// (response header of OMDBCheckpointServlet, sent by master leaders) times
/// ozone.om.bootstrap.checkpoint.estimated.space.headroom.ratio (2.0), else, from a leader that
/// sends none (an older release), ozone.om.bootstrap.min.space (5GB). Short of it, the download
/// is aborted with an ERROR and the joiner never catches up. The simulator needs a checkpoint for
/// every join (the harsher reading: a leader may have purged its log).
/// </summary>
public static class BootstrapSpace
{
    /// <summary>Set by the twin: the container's persistent volumes as `hostDir=capacityBytes`, separated by ';'.</summary>
    public const string VolumesVariable = "OZONE_SIM_VOLUME_BYTES";

    public const string MinSpaceKey = "ozone.om.bootstrap.min.space";

    public const string HeadroomRatioKey = "ozone.om.bootstrap.checkpoint.estimated.space.headroom.ratio";

    /// <summary>The ERROR the joiner logs when it is short of space; null when the check passes or does not apply.</summary>
    public static string? Shortfall(OzoneVersion joiner, OzoneRelease leader, long leaderDbBytes, SimConfig config, string snapshotDir)
    {
        if (joiner.Release != OzoneRelease.Master) return null;
        var fromEstimate = leader == OzoneRelease.Master;
        var required = fromEstimate
            ? (long)Math.Ceiling(leaderDbBytes * (double.TryParse(config.Get(HeadroomRatioKey), CultureInfo.InvariantCulture, out var ratio) ? ratio : 2.0))
            : StorageBytes(config.Get(MinSpaceKey) ?? "5GB");
        if (required <= 0 || Usable(snapshotDir) is not { } usable || usable >= required) return null;
        var source = fromEstimate ? $"X-Ozone-Om-Checkpoint-Estimated-Sst-Bytes with {HeadroomRatioKey}" : MinSpaceKey;
        return $"OM bootstrap / install snapshot aborted: volume containing ratis snapshot dir {snapshotDir} has usable space {usable} bytes but at least {required} bytes is required (from {source}). Free disk on this OM host or adjust configuration.";
    }

    /// <summary>Usable bytes of the declared volume holding <paramref name="path"/>: its capacity less its files; null on an undeclared disk (not modelled).</summary>
    public static long? Usable(string path)
    {
        var volumes = (Environment.GetEnvironmentVariable(VolumesVariable) ?? "")
            .Split(';', StringSplitOptions.RemoveEmptyEntries)
            .Select(v => v.Split('=', 2))
            .Where(p => p.Length == 2 && long.TryParse(p[1], CultureInfo.InvariantCulture, out _))
            .Select(p => (Dir: p[0].TrimEnd('/'), Bytes: long.Parse(p[1], CultureInfo.InvariantCulture)))
            .Where(v => path == v.Dir || path.StartsWith(v.Dir + "/", StringComparison.Ordinal))
            .OrderByDescending(v => v.Dir.Length)
            .ToList();
        if (volumes.Count == 0) return null;
        var (dir, bytes) = volumes[0];
        var used = Directory.Exists(dir) ? new DirectoryInfo(dir).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length) : 0;
        return bytes - used;
    }

    /// <summary>
    /// Ozone's StorageSize.parse: a number and a unit (b, k/kb, m/mb, g/gb, t/tb, p/pb, case-insensitive), each
    /// unit 1024 times the one before (hadoop-hdds/config StorageUnit); anything else fails the OM's start.
    /// </summary>
    public static long StorageBytes(string value)
    {
        var text = value.Trim().ToLowerInvariant();
        string[] units = ["b", "k", "m", "g", "t", "p"];
        for (var i = units.Length - 1; i >= 0; i--)
        {
            foreach (var suffix in i == 0 ? new[] { "b" } : [units[i] + "b", units[i]])
            {
                if (text.EndsWith(suffix, StringComparison.Ordinal) && double.TryParse(text[..^suffix.Length], CultureInfo.InvariantCulture, out var number))
                    return (long)(number * Math.Pow(1024, i));
            }
        }
        throw new SimExit(255, $"{value} is not in expected format.Expected format is <number><unit>. e.g. 1000MB");
    }
}
