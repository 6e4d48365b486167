using System.Text.Json;

namespace OzoneSimulator;

/// <summary>An SCM that is a peer of a ring: its config node id and its Ratis peer id (VERSION scmUuid).</summary>
public sealed class ScmPeer
{
    public string NodeId { get; set; } = "";
    public string ScmUuid { get; set; } = "";
}

/// <summary>An `ozone scm` process that is serving.</summary>
public sealed class RunningScm
{
    public string NodeId { get; set; } = "";
    public string ScmUuid { get; set; } = "";
    public string ClusterId { get; set; } = "";
    public string Ip { get; set; } = "";
    public int Pid { get; set; }
}

/// <summary>A datanode as SCM knows it after registration (SCM keeps nodes in memory only: facts-dn-scm A3).</summary>
public sealed class RegisteredDatanode
{
    public string Uuid { get; set; } = "";
    public string Pod { get; set; } = "";
    public string ClusterId { get; set; } = "";
}

/// <summary>
/// What the SCMs hold between them: each cluster's Ratis ring (in Ozone it lives in every SCM's
/// Ratis dir; here in one file, deleted with the volumes as ring.json is), the SCMs that serve
/// and the datanodes registered with them.
/// </summary>
public sealed class ScmCluster
{
    /// <summary>clusterID → the ring's peers in the order they joined.</summary>
    public Dictionary<string, List<ScmPeer>> Rings { get; set; } = [];
    public Dictionary<string, RunningScm> Running { get; set; } = [];
    public Dictionary<string, RegisteredDatanode> Datanodes { get; set; } = [];

    /// <summary>
    /// The leader of a cluster's ring [inferred: a Ratis election among running peers]: the first
    /// peer, in join order, that serves, while a majority of the ring serves; none without one.
    /// </summary>
    public ScmPeer? Leader(string clusterId)
    {
        if (!Rings.TryGetValue(clusterId, out var peers)) return null;
        var up = peers.Where(p => Running.Values.Any(r => r.ScmUuid == p.ScmUuid)).ToList();
        return up.Count * 2 > peers.Count ? up[0] : null;
    }
}

/// <summary>scm.json in the simulator's state directory, changed under its own lock (scm.lock).</summary>
public static class ScmStateFile
{
    public static T Update<T>(SimState state, Func<ScmCluster, T> change) => LockedJsonFile.Update<ScmCluster, T>(state.Dir, "scm.json", "scm.lock", cluster =>
    {
        // A process that died without unregistering (SIGKILL) no longer serves.
        foreach (var (node, scm) in cluster.Running.ToList())
        {
            if (!Directory.Exists($"/proc/{scm.Pid}")) cluster.Running.Remove(node);
        }
        return change(cluster);
    });

    public static ScmCluster Read(SimState state) => Update(state, c => c);
}

/// <summary>
/// The SCMs a daemon's ozone-site.xml names: with SCM HA the addresses of `ozone.scm.nodes.&lt;svc&gt;`
/// (`ozone.scm.address.&lt;svc&gt;.&lt;node&gt;`), else `ozone.scm.names` (SCMNodeInfo#buildNodeInfo, 2.0–2.2).
/// </summary>
public static class ScmAddresses
{
    public static IReadOnlyList<string> Hosts(SimConfig config)
    {
        var svc = config.Get("ozone.scm.service.ids")?.Split(',')[0];
        var hosts = svc is not null
            ? (config.Get($"ozone.scm.nodes.{svc}") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries).Select(n => SimConfig.Host(config.Get($"ozone.scm.address.{svc}.{n.Trim()}")))
            : (config.Get("ozone.scm.names") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries).Select(SimConfig.Host);
        return hosts.OfType<string>().ToList();
    }

    /// <summary>A configured SCM that serves now, found through cluster DNS; null when none does.</summary>
    public static RunningScm? Serving(SimState state, SimConfig config)
    {
        var ips = Hosts(config).Select(state.Resolve).OfType<string>().ToHashSet();
        return ScmStateFile.Read(state).Running.Values.FirstOrDefault(r => ips.Contains(r.Ip));
    }
}
