using System.Text.Json;

namespace OzoneSimulator;

/// <summary>
/// An OM's data on its volume: VERSION (Java properties, OMStorage.java) and the key table
/// (a JSON file standing in for om.db).
/// </summary>
public static class OmData
{
    public static string VersionPath(string metadataDir) => Path.Combine(metadataDir, "om", "current", "VERSION");

    public static string DbPath(string metadataDir) => Path.Combine(metadataDir, "om.db", "keys.json");

    /// <summary>
    /// Ratis' persisted term and vote (RaftStorageDirectory's current/raft-meta, ratis-server 3.1–3.2),
    /// under the OM's Ratis dir (<see cref="SimConfig.RatisDir"/>). A volume without it has no Raft
    /// log and no memory of its votes.
    /// </summary>
    public static string RaftMetaPath(string ratisDir, string groupId) => Path.Combine(ratisDir, groupId.Replace("group-", "", StringComparison.Ordinal), "current", "raft-meta");

    public static bool HasRaftLog(string ratisDir, string groupId) => File.Exists(RaftMetaPath(ratisDir, groupId));

    public static void WriteRaftMeta(string ratisDir, string groupId, long term)
    {
        var path = RaftMetaPath(ratisDir, groupId);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, $"term={term}\n");
    }

    public static Dictionary<string, string>? ReadVersion(string metadataDir)
    {
        var path = VersionPath(metadataDir);
        if (!File.Exists(path)) return null;
        return File.ReadAllLines(path)
            .Where(l => l.Contains('=') && !l.StartsWith('#'))
            .Select(l => l.Split('=', 2))
            .ToDictionary(p => p[0].Trim(), p => p[1].Trim());
    }

    public static void WriteVersion(string metadataDir, string nodeId, string clusterId)
    {
        var path = VersionPath(metadataDir);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, $"#{DateTime.UtcNow:R}\nnodeType=OM\nclusterID={clusterId}\nnodeId={nodeId}\nomUuid={Guid.NewGuid()}\nlayoutVersion=7\ncTime={DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()}\n");
    }

    public static Dictionary<string, string> ReadKeys(string metadataDir)
    {
        var path = DbPath(metadataDir);
        return File.Exists(path) ? JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(path)) ?? [] : [];
    }

    public static void WriteKeys(string metadataDir, Dictionary<string, string> keys)
    {
        var path = DbPath(metadataDir);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, JsonSerializer.Serialize(keys));
    }
}
