namespace OmLifecycle.Ozone;

/// <summary>What an Ozone command's stderr says went wrong (tests/fixtures/ozone/stderr holds each shape).</summary>
public enum OzoneFailureKind
{
    /// <summary>No line om-lifecycle knows.</summary>
    Unknown,
    /// <summary>Bootstrap pre-check: a peer's ozone-site.xml does not list the joiner yet (exit 1).</summary>
    BootstrapPreCheck,
    /// <summary>The ring has no leader (LEADER_UNDETERMINED, after the client's failover attempts).</summary>
    NoLeader,
    /// <summary>The leader refused the bootstrap (LEADER_NOT_READY, RATIS_BOOTSTRAP_ERROR).</summary>
    BootstrapRefused,
    /// <summary>dbInconsistentMarker is in the data dir: an interrupted checkpoint install (exit 1).</summary>
    DbInconsistent,
    /// <summary>Installing the leader's snapshot/checkpoint failed (exit 1).</summary>
    SnapshotInstall,
    /// <summary>VERSION belongs to another node id (exit 255).</summary>
    VersionOfAnotherNode,
    /// <summary>VERSION belongs to another cluster than the one SCM serves: "SCM version info mismatch." (exit 255).</summary>
    VersionOfAnotherCluster,
    /// <summary>No VERSION: `ozone om --init` never ran on this volume (exit 255).</summary>
    NotInitialized,
    /// <summary>`ozone om --init` failed (exit 255).</summary>
    InitFailed,
    /// <summary>The launcher could not write its log or pid dir (ozone-functions.sh, exit 1).</summary>
    LauncherCannotWrite,
    /// <summary>The image's envtoconf could not write a config file (a Python OSError).</summary>
    EnvToConfFailed,
    /// <summary>The leader's in-memory peer map lacks the node (decommission).</summary>
    NotInPeerList,
    /// <summary>Ratis refused a configuration change while another one is in progress (decommission; a bootstrap reports it as BootstrapRefused).</summary>
    ReconfigurationInProgress,
}

/// <summary>Ozone's stderr, classified by its first relevant line.</summary>
public sealed record OzoneFailure(OzoneFailureKind Kind, string Line);

/// <summary>
/// Reads Ozone's stderr: the first line that says what went wrong, never log files and never the
/// exit code alone (exit 1 comes from the pre-check, dbInconsistentMarker, snapshot installs and the
/// launcher alike). Lines that are not the error are skipped: master's deprecation WARNINGs, the
/// launcher's WARNINGs, SLF4J/log4j chatter, stack frames and Python's traceback header.
/// </summary>
public static class OzoneStderr
{
    // Specific markers first: a known line anywhere beats a generic first line ("Failed to decommission OM x").
    private static readonly (OzoneFailureKind Kind, string[] AllOf)[] Markers =
    [
        (OzoneFailureKind.BootstrapPreCheck, ["do not have or have incorrect information of the bootstrapping OM"]),
        (OzoneFailureKind.NoLeader, ["LEADER_UNDETERMINED"]),
        // OzoneManager#bootstrap logs a bare "Failed to Bootstrap OM." first; the starter's line after it carries the code and reason.
        (OzoneFailureKind.BootstrapRefused, ["Failed to Bootstrap OM", "Error Code"]),
        (OzoneFailureKind.DbInconsistent, ["dbInconsistentMarker"]),
        (OzoneFailureKind.SnapshotInstall, ["install", "snapshot"]),
        (OzoneFailureKind.SnapshotInstall, ["install", "checkpoint"]),
        (OzoneFailureKind.VersionOfAnotherNode, ["does not match the existing nodeId in the VERSION file"]),
        // logVersionMismatch's line names both cluster ids, so it is taken before the exception's bare message.
        (OzoneFailureKind.VersionOfAnotherCluster, ["clusterId from", ", but is ", "VERSION"]),
        (OzoneFailureKind.VersionOfAnotherCluster, ["SCM version info mismatch"]),
        (OzoneFailureKind.NotInitialized, ["OM not initialized"]),
        (OzoneFailureKind.InitFailed, ["OM Init failed"]),
        (OzoneFailureKind.LauncherCannotWrite, ["ERROR: Unable to write in"]),
        (OzoneFailureKind.LauncherCannotWrite, ["ERROR: Unable to create"]),
        (OzoneFailureKind.EnvToConfFailed, ["Error: [Errno"]),
        (OzoneFailureKind.NotInPeerList, ["OM node not present in the OM peer list"]),
        (OzoneFailureKind.ReconfigurationInProgress, ["Reconfiguration is already in progress"]),
    ];

    public static OzoneFailure Classify(string stderr)
    {
        var lines = Lines(stderr).Where(l => !IsNoise(l)).ToList();
        foreach (var line in lines)
        {
            foreach (var (kind, allOf) in Markers)
            {
                if (allOf.All(m => line.Contains(m, StringComparison.OrdinalIgnoreCase))) return new OzoneFailure(kind, line);
            }
        }
        return new OzoneFailure(OzoneFailureKind.Unknown, lines.FirstOrDefault() ?? "");
    }

    /// <summary>The line that says what went wrong: a known one if any, else the first that is not noise.</summary>
    public static string FirstRelevantLine(string stderr) => Classify(stderr).Line;

    private static IEnumerable<string> Lines(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static bool IsNoise(string line) =>
        line.StartsWith("WARNING:", StringComparison.Ordinal)
        || line.StartsWith("SLF4J:", StringComparison.Ordinal)
        || line.StartsWith("log4j:", StringComparison.Ordinal)
        || line.StartsWith("at ", StringComparison.Ordinal)
        || line.StartsWith("Traceback (most recent call last)", StringComparison.Ordinal)
        || line.StartsWith("File \"", StringComparison.Ordinal)
        || line.Contains(" WARN ", StringComparison.Ordinal);
}
