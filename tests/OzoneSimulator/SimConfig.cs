using System.Xml.Linq;

namespace OzoneSimulator;

/// <summary>An Ozone configuration as the real CLI builds it: ozone-site.xml plus `--set` overrides.</summary>
public sealed class SimConfig(IReadOnlyDictionary<string, string> values, string? path)
{
    public string? Path { get; } = path;

    public IReadOnlyDictionary<string, string> Values { get; } = values;

    public static SimConfig Load(string path, IEnumerable<KeyValuePair<string, string>>? overrides = null)
    {
        var values = ReadFile(path);
        foreach (var (k, v) in overrides ?? []) values[k] = v;
        return new SimConfig(values, path);
    }

    public static SimConfig FromEnvironment(IEnumerable<KeyValuePair<string, string>>? overrides = null) =>
        Load(System.IO.Path.Combine(Environment.GetEnvironmentVariable("OZONE_CONF_DIR") ?? "/etc/hadoop", "ozone-site.xml"), overrides);

    /// <summary>Hadoop's XML format; an unreadable file is an empty configuration, as for a missing one.</summary>
    public static Dictionary<string, string> ReadFile(string path)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!File.Exists(path)) return values;
        foreach (var p in XDocument.Load(path).Root?.Elements("property") ?? [])
        {
            var name = p.Element("name")?.Value.Trim();
            if (!string.IsNullOrEmpty(name)) values[name] = p.Element("value")?.Value.Trim() ?? "";
        }
        return values;
    }

    public string? Get(string key) => Values.TryGetValue(key, out var v) && v.Length > 0 ? v : null;

    public string? ServiceId => Get("ozone.om.internal.service.id") ?? Get("ozone.om.service.ids")?.Split(',')[0];

    public IReadOnlyList<string> Decommissioned(string svc) => List($"ozone.om.decommissioned.nodes.{svc}");

    /// <summary>`ozone.om.nodes.svc` without the ids listed as decommissioned (OmUtils drops them).</summary>
    public IReadOnlyList<string> Nodes(string svc)
    {
        var removed = Decommissioned(svc);
        return List($"ozone.om.nodes.{svc}").Where(n => !removed.Contains(n)).ToList();
    }

    public string? Address(string svc, string node) => Get($"ozone.om.address.{svc}.{node}");

    /// <summary>The OM's Ratis port, Ozone's default 9872 when none is configured (OMConfigKeys.OZONE_OM_RATIS_PORT_DEFAULT).</summary>
    public int RatisPort(string svc, string node) =>
        int.TryParse(Get($"ozone.om.ratis.port.{svc}.{node}"), System.Globalization.CultureInfo.InvariantCulture, out var port) ? port : 9872;

    /// <summary>The OM's Ratis peer address as Ratis prints it in a configuration: RPC host, Ratis port.</summary>
    public string RatisAddress(string svc, string node) => $"{Host(Address(svc, node) ?? node)}:{RatisPort(svc, node)}";

    public string? HttpAddress(string svc, string node) => Get($"ozone.om.http-address.{svc}.{node}") ?? (Host(Address(svc, node)) is { } h ? $"{h}:9874" : null);

    public string MetadataDir => Get("ozone.om.db.dirs") ?? OzoneMetadataDir;

    /// <summary>ozone.metadata.dirs, where every OM directory not moved by its own key lives.</summary>
    public string OzoneMetadataDir => Get("ozone.metadata.dirs") ?? "/data/metadata";

    /// <summary>
    /// The OM's Ratis log dir (OzoneManagerRatisUtils#getOMRatisDirectory): ozone.om.ratis.storage.dir,
    /// else `ratis` up to 2.1; from 2.2 a non-empty `ratis` left by an older release
    /// (ServerUtils#findExistingRatisDirectory), else `om.ratis`.
    /// </summary>
    public string RatisDir(OzoneVersion version)
    {
        if (Get("ozone.om.ratis.storage.dir") is { } configured) return configured;
        var shared = System.IO.Path.Combine(OzoneMetadataDir, "ratis");
        if (!version.OwnRatisDirs || (Directory.Exists(shared) && Directory.EnumerateFileSystemEntries(shared).Any())) return shared;
        return System.IO.Path.Combine(OzoneMetadataDir, "om.ratis");
    }

    /// <summary>
    /// The OM's Ratis snapshot dir (OzoneManagerRatisUtils#getOMRatisSnapshotDirectory): ozone.om.ratis.snapshot.dir,
    /// else `snapshot` up to 2.1 and `om.ratis.snapshot` from 2.2 (no fallback to the old name there).
    /// </summary>
    public string RatisSnapshotDir(OzoneVersion version) =>
        Get("ozone.om.ratis.snapshot.dir") ?? System.IO.Path.Combine(OzoneMetadataDir, version.OwnRatisDirs ? "om.ratis.snapshot" : "snapshot");

    public static string? Host(string? address) => address?.Split(':')[0];

    private IReadOnlyList<string> List(string key) =>
        Get(key)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];
}
