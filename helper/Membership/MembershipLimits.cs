namespace OmLifecycle.Membership;

/// <summary>
/// The bounds of the membership document. The chart's values.schema.json has the same bounds
/// (om.replicas, om.lifecycle.*Timeout), and a test checks that they agree, so that whatever the
/// chart renders om-lifecycle accepts and whatever om-lifecycle refuses the chart refuses first.
/// </summary>
public static class MembershipLimits
{
    /// <summary>At most this many OMs (ordinals 0..98); also the bound of --replicas and previousReplicas.</summary>
    public const int MaxReplicas = 99;

    /// <summary>One day: the longest deadline Polly's timeout strategy takes, and longer than any step should wait.</summary>
    public const int MaxTimeoutSeconds = 86400;

    /// <summary>A document for 99 OMs is about 15 KiB; anything near this cap is not a membership document.</summary>
    public const int MaxDocumentBytes = 1024 * 1024;

    /// <summary>The document nests 3 levels (nodes, a node, its fields); this leaves room and keeps the parser's stack small.</summary>
    public const int MaxNesting = 16;

    /// <summary>Top-level system directories: never OM data, and wipe deletes under metadataDir.</summary>
    private static readonly HashSet<string> SystemDirectories =
        ["bin", "boot", "dev", "etc", "lib", "lib32", "lib64", "libx32", "proc", "run", "sbin", "sys", "usr"];

    /// <summary>Directories that are system directories themselves, though data may live below them.</summary>
    private static readonly HashSet<string> SystemRoots = ["/var", "/home", "/root", "/tmp", "/opt", "/srv", "/mnt", "/media"];

    /// <summary>
    /// An absolute, normalized path (no empty, '.' or '..' segment, no trailing '/'), without control
    /// characters, that is not '/' and not inside or equal to a system directory.
    /// </summary>
    public static bool IsDataDirectory(string path)
    {
        if (path.Length < 2 || path[0] != '/' || path.Length > 4096 || path.Any(char.IsControl)) return false;
        var segments = path[1..].Split('/');
        if (segments.Any(s => s is "" or "." or "..")) return false;
        return !SystemDirectories.Contains(segments[0]) && !SystemRoots.Contains(path);
    }
}
