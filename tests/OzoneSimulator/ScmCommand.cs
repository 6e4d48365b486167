using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;

namespace OzoneSimulator;

/// <summary>
/// `ozone scm [--init [--clusterid ID] | --bootstrap]` as Ozone 2.0–2.2 runs it
/// (StorageContainerManagerStarter, StorageContainerManager.scmInit/scmBootstrap, SCMHAManagerImpl.start):
/// --init and --bootstrap are one-shot and exit; a plain start joins the ring if it is not a peer
/// yet and serves its web server until SIGTERM.
/// </summary>
public sealed class ScmCommand(SimState state, SimConfig config)
{
    /// <summary>`ozone.scm.info.wait.duration` (10m): how long --bootstrap asks the other SCMs (B1).</summary>
    private const double InfoWaitSeconds = 600;

    public async Task<int> RunAsync(string[] args)
    {
        var init = args.Contains("--init");
        var bootstrap = args.Contains("--bootstrap");
        var clusterIdAt = Array.IndexOf(args, "--clusterid");
        var known = args.Where((a, i) => a is "--init" or "--bootstrap" || (clusterIdAt >= 0 && (i == clusterIdAt || i == clusterIdAt + 1))).Count();
        // picocli: an unknown option is a usage error, exit 2 (GenericCli, facts-dn-scm "Exit codes").
        if (known != args.Length || (init && bootstrap) || (clusterIdAt >= 0 && (!init || clusterIdAt + 1 >= args.Length)))
            throw new SimExit(2, $"Unknown option or misplaced argument in: 'scm {string.Join(' ', args)}'\nUsage: ozone scm [--init [--clusterid <id>] | --bootstrap]");

        var self = ScmIdentity.Of(state, config);
        if (init) return Init(self, clusterIdAt >= 0 ? args[clusterIdAt + 1] : null);
        if (bootstrap) return await BootstrapAsync(self);
        return await ServeAsync(self);
    }

    /// <summary>B1 --init: a no-op on a non-primordial node and on initialized storage; else a new cluster with a one-peer ring.</summary>
    private int Init(ScmIdentity self, string? clusterId)
    {
        if (!self.IsPrimordial) return 0;
        if (ScmVersion.Read(self.MetadataDir) is not null) return 0;
        var version = new ScmVersion(clusterId ?? $"CID-{Guid.NewGuid()}", Guid.NewGuid().ToString(), null);
        version = version with { PrimaryScmNodeId = version.ScmUuid };
        version.Write(self.MetadataDir);
        ScmStateFile.Update(state, c => c.Rings[version.ClusterId] = [new ScmPeer { NodeId = self.NodeId, ScmUuid = version.ScmUuid }]);
        return 0;
    }

    /// <summary>
    /// B1 --bootstrap: a no-op on the primordial node; otherwise asks the other configured SCMs for
    /// the cluster id for up to ozone.scm.info.wait.duration and fails ("scm bootstrap failed", 255)
    /// when none answers. Initialized storage of another cluster fails too. It never joins the ring.
    /// </summary>
    private async Task<int> BootstrapAsync(ScmIdentity self)
    {
        if (self.IsPrimordial) return 0;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(InfoWaitSeconds * SimState.TimeScale);
        RunningScm? responder;
        while ((responder = ScmStateFile.Read(state).Running.Values.FirstOrDefault(r => r.NodeId != self.NodeId && self.OtherIps.Contains(r.Ip))) is null)
        {
            if (DateTime.UtcNow > deadline) throw new SimExit(255, "scm bootstrap failed");
            await SimState.Sleep(2);
        }
        if (ScmVersion.Read(self.MetadataDir) is { } existing)
        {
            return existing.ClusterId == responder.ClusterId ? 0
                : throw new SimExit(255, $"Could not bootstrap as SCM is already initialized with cluster id {existing.ClusterId} but cluster id for existing leader SCM instance is {responder.ClusterId}");
        }
        new ScmVersion(responder.ClusterId, Guid.NewGuid().ToString(), responder.ScmUuid).Write(self.MetadataDir);
        return 0;
    }

    /// <summary>
    /// A normal start: uninitialized storage fails; a bootstrapped SCM that is no peer yet asks the
    /// leader to add it (B1 "Joining"), and fails with no leader to ask; then the web server serves
    /// until SIGTERM (a JVM stopped by SIGTERM exits 143).
    /// </summary>
    private async Task<int> ServeAsync(ScmIdentity self)
    {
        // StorageContainerManager's constructor refuses storage that is not INITIALIZED ("Please make sure you
        // have run 'ozone scm --init'…", StorageContainerManager.java, 2.1.0), so the process fails to start.
        var version = ScmVersion.Read(self.MetadataDir) ?? throw new SimExit(255, "SCM not initialized due to storage config failure.");
        var ip = self.Ip ?? throw new SimExit(1, $"Unable to resolve {self.Host} for the SCM web server.");
        ScmStateFile.Update(state, c =>
        {
            var peers = c.Rings.TryGetValue(version.ClusterId, out var p) ? p : c.Rings[version.ClusterId] = [];
            if (peers.All(x => x.ScmUuid != version.ScmUuid))
            {
                if (c.Leader(version.ClusterId) is null) throw new SimExit(255, "Adding SCM to existing HA group failed");
                peers.Add(new ScmPeer { NodeId = self.NodeId, ScmUuid = version.ScmUuid });
            }
            c.Running[self.NodeId] = new RunningScm { NodeId = self.NodeId, ScmUuid = version.ScmUuid, ClusterId = version.ClusterId, Ip = ip, Pid = Environment.ProcessId };
            return 0;
        });
        try
        {
            using var server = new DaemonHttpServer(ip, self.HttpPort, () => Beans(self, version));
            server.Start();
            using var stop = new CancellationTokenSource();
            using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Cancel(); });
            try { await Task.Delay(Timeout.Infinite, stop.Token); }
            catch (OperationCanceledException) { return 143; }
            return 0;
        }
        finally
        {
            ScmStateFile.Update(state, c => c.Running.Remove(self.NodeId));
        }
    }

    /// <summary>Runtime, the Ratis server bean (B3: group-&lt;last 12 hex of the cluster uuid&gt;, id = scmUuid) and SCM's info bean.</summary>
    private IEnumerable<JsonObject> Beans(ScmIdentity self, ScmVersion version)
    {
        var cluster = ScmStateFile.Read(state);
        var leader = cluster.Leader(version.ClusterId);
        var hex = version.ClusterId.Replace("CID-", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal);
        var group = "group-" + hex[Math.Max(0, hex.Length - 12)..].ToUpperInvariant();
        var role = leader?.ScmUuid == version.ScmUuid ? "LEADER" : leader is null ? "CANDIDATE" : "FOLLOWER";
        yield return DaemonHttpServer.RuntimeBean("scm");
        yield return new JsonObject
        {
            ["name"] = $"Ratis:service=RaftServer,group={group},id={version.ScmUuid}",
            ["modelerType"] = "org.apache.ratis.server.impl.RaftServerJmxAdapter",
            ["Id"] = version.ScmUuid,
            ["LeaderId"] = leader?.ScmUuid,
            ["GroupId"] = group,
            ["Role"] = role.PadLeft(9),
        };
        yield return new JsonObject
        {
            ["name"] = "Hadoop:service=StorageContainerManager,name=StorageContainerManagerInfo",
            ["ScmId"] = version.ScmUuid,
            ["ClusterId"] = version.ClusterId,
            ["PrimordialNode"] = config.Get("ozone.scm.primordial.node.id"),
            ["Hostname"] = self.Host,
        };
    }
}

/// <summary>
/// Which configured SCM this process is (B1 "Keys"): `ozone.scm.node.id`, else the node of the
/// service whose address is this host (<see cref="IsLocal"/>); without a service id, the one SCM of
/// `ozone.scm.names`. Its metadata dir is `ozone.scm.db.dirs`, else `ozone.metadata.dirs`.
/// </summary>
public sealed record ScmIdentity(string NodeId, string Host, string? Ip, string MetadataDir, bool IsPrimordial, int HttpPort, IReadOnlyList<string> OtherIps)
{
    /// <summary>The pod's own address, which the cluster twin sets (the network interface of the pod).</summary>
    public const string PodIpVariable = "OZONE_SIM_POD_IP";

    public static ScmIdentity Of(SimState state, SimConfig config)
    {
        var podIp = Environment.GetEnvironmentVariable(PodIpVariable);
        var metadataDir = config.Get("ozone.scm.db.dirs") ?? config.Get("ozone.metadata.dirs")
            ?? throw new SimExit(255, "ozone.metadata.dirs is not set: SCM has no directory for its VERSION and DB.");
        var svc = config.Get("ozone.scm.default.service.id") ?? config.Get("ozone.scm.service.ids")?.Split(',')[0];
        var addresses = new Dictionary<string, string>();
        if (svc is not null)
        {
            foreach (var node in config.Get($"ozone.scm.nodes.{svc}")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [])
                addresses[node] = SimConfig.Host(config.Get($"ozone.scm.address.{svc}.{node}")) ?? throw new SimExit(255, $"ozone.scm.address.{svc}.{node} is not set.");
        }
        else
        {
            var host = SimConfig.Host(config.Get("ozone.scm.client.address") ?? config.Get("ozone.scm.names")?.Split(',')[0]) ?? throw new SimExit(255, "ozone.scm.names is not set.");
            addresses["scm"] = host;
        }
        var nodeId = config.Get("ozone.scm.node.id")
            ?? addresses.FirstOrDefault(a => IsLocal(a.Value, config, state, podIp)).Key
            ?? (svc is null ? "scm" : throw new SimExit(255, $"None of the addresses of ozone.scm.nodes.{svc} is this host's address ({podIp ?? "unknown"}); set ozone.scm.node.id or fix ozone.scm.address.{svc}.<node>."));
        var selfHost = addresses[nodeId];
        var primordial = config.Get("ozone.scm.primordial.node.id");
        // B1 --init: matched against the node id or the hostname.
        var isPrimordial = primordial is null || primordial == nodeId || primordial == selfHost || primordial == selfHost.Split('.')[0];
        var httpPort = Port(config.Get($"ozone.scm.http-address.{svc}.{nodeId}") ?? config.Get("ozone.scm.http-address"), 9876);
        var others = addresses.Where(a => a.Key != nodeId).Select(a => state.Resolve(a.Value)).OfType<string>().ToList();
        return new ScmIdentity(nodeId, selfHost, podIp ?? state.Resolve(selfHost), metadataDir, isPrimordial, httpPort, others);
    }

    /// <summary>
    /// Whether a configured SCM address is this host (Ozone SCMHANodeDetails.loadSCMHAConfig with
    /// OzoneNetUtils.isAddressLocal(flexibleFqdnResolutionEnabled, addr), hadoop-hdds 2.x): with
    /// ozone.network.flexible.fqdn.resolution.enabled the address's first label is compared with the
    /// local host name (NetUtils.getLocalHostname(), the pod's name), and DNS is not asked; without
    /// it the address must resolve to one of this host's addresses.
    /// </summary>
    private static bool IsLocal(string host, SimConfig config, SimState state, string? podIp) =>
        string.Equals(config.Get("ozone.network.flexible.fqdn.resolution.enabled"), "true", StringComparison.OrdinalIgnoreCase)
            ? Environment.GetEnvironmentVariable("HOSTNAME") is { Length: > 0 } local && host.Split('.')[0] == local
            : podIp is not null && state.Resolve(host) == podIp;

    /// <summary>The port of a `host:port` address key, or the key's default.</summary>
    public static int Port(string? address, int fallback) =>
        address?.Split(':') is [_, var port] && int.TryParse(port, CultureInfo.InvariantCulture, out var p) ? p : fallback;
}

/// <summary>`&lt;metadata dir&gt;/scm/current/VERSION`, a Java properties file (B1 --init).</summary>
public sealed record ScmVersion(string ClusterId, string ScmUuid, string? PrimaryScmNodeId)
{
    public static string PathIn(string metadataDir) => System.IO.Path.Combine(metadataDir, "scm", "current", "VERSION");

    public static ScmVersion? Read(string metadataDir)
    {
        var path = PathIn(metadataDir);
        if (!File.Exists(path)) return null;
        var props = File.ReadAllLines(path).Where(l => l.Contains('=') && !l.StartsWith('#')).ToDictionary(l => l[..l.IndexOf('=')], l => l[(l.IndexOf('=') + 1)..]);
        return new ScmVersion(props["clusterID"], props["scmUuid"], props.GetValueOrDefault("primaryScmNodeId"));
    }

    public void Write(string metadataDir)
    {
        var path = PathIn(metadataDir);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        File.WriteAllText(path, $"#{DateTime.UtcNow:R}\nnodeType=SCM\nclusterID={ClusterId}\nscmUuid={ScmUuid}\ncTime={DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()}\nlayoutVersion=8\nprimaryScmNodeId={PrimaryScmNodeId ?? ScmUuid}\nscmHA=true\n");
    }
}
