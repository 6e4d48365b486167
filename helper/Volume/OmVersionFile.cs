using OmLifecycle.Cli;

namespace OmLifecycle.Volume;

/// <summary>
/// Ozone's own VERSION file (&lt;metadata&gt;/om/current/VERSION, Java properties written by
/// `ozone om --init`). It binds the directory to one node id (OMStorage.java).
/// </summary>
public sealed record OmVersionFile(string? NodeId, string? ClusterId, string? NodeType)
{
    public static string PathIn(string metadataDir) => Path.Combine(metadataDir, "om", "current", "VERSION");

    public static OmVersionFile? Read(string metadataDir)
    {
        var path = PathIn(metadataDir);
        if (!File.Exists(path)) return null;
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var raw in File.ReadAllLines(path))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] is '#' or '!') continue;
            var split = line.IndexOfAny(['=', ':']);
            if (split <= 0) continue;
            values[line[..split].Trim()] = line[(split + 1)..].Trim();
        }
        var version = new OmVersionFile(values.GetValueOrDefault("nodeId"), values.GetValueOrDefault("clusterID"), values.GetValueOrDefault("nodeType"));
        if (version.NodeType is not null && version.NodeType != "OM")
            throw LifecycleException.Refused($"{path} belongs to an Ozone {version.NodeType}, not an OM. This volume holds another service's data; give the OM its own volume.");
        return version;
    }
}
