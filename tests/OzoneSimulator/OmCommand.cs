using System.Runtime.InteropServices;

namespace OzoneSimulator;

/// <summary>
/// `ozone om [--init | --bootstrap [--force]]` (OzoneManagerStarter.java): init writes VERSION and
/// exits; bootstrap inits, runs the pre-check, asks the leader to add it and keeps running as that
/// OM; a plain start runs until SIGTERM.
/// </summary>
public sealed class OmCommand(SimState state, SimConfig config, OzoneVersion version)
{
    public async Task<int> RunAsync(string[] args)
    {
        var init = args.Contains("--init");
        var bootstrap = args.Contains("--bootstrap");
        var force = args.Contains("--force");
        var unknown = args.Where(a => a is not ("--init" or "--bootstrap" or "--force")).ToList();
        if (unknown.Count > 0 || (init && bootstrap)) throw new SimExit(2, $"Unknown option: '{string.Join(' ', unknown)}'\nUsage: ozone om [--init | --bootstrap [--force]]");

        var svc = config.ServiceId ?? throw new SimExit(255, "OM Init failed. ozone.om.service.ids is not set.");
        var nodeId = config.Get("ozone.om.node.id") ?? throw new SimExit(255, "OM Init failed. Could not determine the OM node id (ozone.om.node.id).");
        var metadataDir = config.MetadataDir;

        if (init || bootstrap)
        {
            if (state.TakeForcedExit("init", nodeId) is { } forced) throw new SimExit(forced, "OM Init failed.");
            Init(nodeId, metadataDir, await ScmClusterIdAsync(nodeId, CancellationToken.None));
            if (init) return 0;
        }

        // The OzoneManager constructor's checks, in its order; each exception fails the start with
        // GenericCli's exit code -1 (255): storage state, then node id (OMStorage), then SCM's cluster id.
        var version = OmData.ReadVersion(metadataDir)
            ?? throw new SimExit(255, "OM not initialized, current OM storage state: NOT_INITIALIZED. Please ensure 'ozone om --init' command is executed to generate all the required metadata to " + metadataDir);
        if (version.GetValueOrDefault("nodeId") != nodeId)
            throw new SimExit(255, $"Configured OM NodeId: {nodeId} does not match the existing nodeId in the VERSION file: {version.GetValueOrDefault("nodeId")}");

        var address = config.Address(svc, nodeId) ?? throw new SimExit(1, $"OM address for {nodeId} is not configured.");
        var host = SimConfig.Host(address)!;
        var http = config.HttpAddress(svc, nodeId)!;
        var ratisPort = config.RatisPort(svc, nodeId);
        // The HTTP server binds ozone.om.http-bind-host (default 0.0.0.0, OMConfigKeys) with the port of
        // http-address, so a real OM asks no DNS for it; here it binds the pod's own address, which the
        // twin gives. Only without one (a bare simulator run) is the configured host resolved.
        var ip = Environment.GetEnvironmentVariable(ScmIdentity.PodIpVariable) is { Length: > 0 } podIp ? podIp
            : state.Resolve(SimConfig.Host(http)!) ?? throw new SimExit(1, $"Unable to resolve {SimConfig.Host(http)} for the OM HTTP server.");
        using var server = new JmxServer(state, nodeId, svc, ip, int.Parse(http.Split(':')[1], System.Globalization.CultureInfo.InvariantCulture), ratisPort);

        using var stop = new CancellationTokenSource();
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Cancel(); });
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stop.Cancel(); });

        try
        {
            await CheckScmClusterAsync(nodeId, metadataDir, version.GetValueOrDefault("clusterID"), stop.Token);
            Register(nodeId, host, metadataDir, svc, bootstrap);
            // The HTTP server starts once the OzoneManager is built (OzoneManager#start); a bootstrapping
            // OM starts Ratis and its HTTP server only after the pre-check passed.
            if (!bootstrap) server.Start();
            if (bootstrap)
            {
                if (state.TakeForcedExit("bootstrap", nodeId) is { } forced) throw new SimExit(forced, BootstrapFailure("RATIS_BOOTSTRAP_ERROR"));
                if (!force) await PreCheckAsync(svc, nodeId, address, stop.Token);
                server.Start();
                await JoinAsync(nodeId, metadataDir, stop.Token);
            }
            await Task.Delay(Timeout.Infinite, stop.Token);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // A JVM stopped by SIGTERM exits 143.
            return 143;
        }
        finally
        {
            // Only this process's own entry: a failed start must not unregister another process of the node.
            state.Update(r => r.Running.TryGetValue(nodeId, out var self) && self.Pid == Environment.ProcessId && r.Running.Remove(nodeId));
        }
        return 0;
    }

    /// <summary>
    /// The cluster id SCM answers getScmInfo with. OzoneManager asks through the SCM client's retry
    /// policy, so while no configured SCM serves (or the ScmUnreachable fault holds) it keeps waiting.
    /// A configuration that names no SCM is a simulator run without SCMs (om-lifecycle's end-to-end
    /// tests); there the ring's own cluster id stands in for SCM's.
    /// </summary>
    private async Task<string> ScmClusterIdAsync(string nodeId, CancellationToken ct)
    {
        var scmless = ScmAddresses.Hosts(config).Count == 0;
        while (true)
        {
            if (!state.Faults().ScmUnreachable.Contains(nodeId))
            {
                if (scmless) return state.Update(r => r.ClusterId);
                if (ScmAddresses.Serving(state, config) is { } scm) return scm.ClusterId;
            }
            await Task.Delay(100, ct);
        }
    }

    /// <summary>
    /// OzoneManager's constructor (2.0–2.2, master): a VERSION whose clusterID is not the one SCM
    /// answers fails the start, "SCM version info mismatch." (SCM_VERSION_MISMATCH_ERROR), after
    /// logVersionMismatch logged both ids. So an OM volume kept from another cluster never starts.
    /// </summary>
    private async Task CheckScmClusterAsync(string nodeId, string metadataDir, string? clusterId, CancellationToken ct)
    {
        var scmClusterId = await ScmClusterIdAsync(nodeId, ct);
        if (scmClusterId == clusterId) return;
        var scms = string.Join(',', ScmAddresses.Hosts(config).Select(h => $"{h}:9863"));
        Console.Error.WriteLine($"{DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm:ss,fff} [main] ERROR om.OzoneManager: clusterId from {scms} is {scmClusterId}, but is {clusterId} in {OmData.VersionPath(metadataDir)}");
        throw new SimExit(255, "SCM version info mismatch.");
    }

    private void Init(string nodeId, string metadataDir, string clusterId)
    {
        var existing = OmData.ReadVersion(metadataDir);
        if (existing is not null)
        {
            // OzoneManager.omInit (2.0–2.2): an initialised storage is reused as it is, whatever node or
            // cluster wrote it, and init succeeds; the node id is checked only at the start.
            Console.WriteLine($"OM already initialized.Reusing existing cluster id for sd={Path.Combine(metadataDir, "om")};cid={existing.GetValueOrDefault("clusterID")};layoutVersion={existing.GetValueOrDefault("layoutVersion")}");
            return;
        }
        OmData.WriteVersion(metadataDir, nodeId, clusterId);
    }

    /// <summary>Registers the running process; the first normal start with no group forms it from its node list.</summary>
    private void Register(string nodeId, string host, string metadataDir, string svc, bool bootstrap)
    {
        var pid = Environment.ProcessId;
        var nodes = config.Nodes(svc);
        var formRing = !bootstrap;
        var group = Ring.GroupIdFor(svc);
        var ratisDir = config.RatisDir(version);
        var hadLog = OmData.HasRaftLog(ratisDir, group);
        // Ratis formats (or finds) its storage before the server joins the group; the OM creates its
        // snapshot dir at start (OzoneManager#initializeRatisDirs → OmUtils.createOMDir, 2.0–2.2).
        OmData.WriteRaftMeta(ratisDir, group, 0);
        Directory.CreateDirectory(config.RatisSnapshotDir(version));
        var lostLog = state.Update(r =>
        {
            // A voter that ran before and starts as a plain member without its Raft log (its disk was lost,
            // then `--init`): Ratis formats a new storage with the configured group (RaftStorageImpl, StartupOption
            // RECOVER on a missing dir) and the node votes and acknowledges as if it remembered. Ozone would
            // later install the leader's checkpoint; the harsher simulator never gives it the data and records it.
            var lost = !bootstrap && !hadLog && r.Voters.Contains(nodeId) && r.Started.Contains(nodeId);
            if (lost && !r.LostLog.Contains(nodeId)) r.LostLog.Add(nodeId);
            r.Running[nodeId] = new RunningNode
            {
                Pid = pid, StartTicks = Liveness.StartTicks(pid), ConfPath = config.Path ?? "", MetadataDir = metadataDir, Host = host, Release = version.Release,
                Peers = nodes.Where(n => n != nodeId).ToList(),
            };
            if (formRing && r.GroupId is null && nodes.Contains(nodeId))
            {
                r.GroupId = Ring.GroupIdFor(svc);
                r.Voters = [.. nodes];
            }
            // A voter that restarts with its log catches up from the leader's log.
            if (!lost && r.Voters.Contains(nodeId) && r.Leader is { } leader && leader != nodeId && r.Running.TryGetValue(leader, out var l))
                OmData.WriteKeys(metadataDir, OmData.ReadKeys(l.MetadataDir));
            if (r.Voters.Contains(nodeId) && !r.Started.Contains(nodeId)) r.Started.Add(nodeId);
            return lost;
        });
        if (lostLog)
            Console.Error.WriteLine($"{DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm:ss,fff} [main] WARN server.RaftServer: {nodeId}: formatting a new Raft storage for {group}: a voter of this group starts with no log and no record of its votes.");
    }

    /// <summary>
    /// OzoneManager#checkConfigBeforeBootstrap (Ozone 2.0–2.2, master): every other node of this OM's
    /// own list is asked ONCE for its configuration, which it re-reads from its on-disk ozone-site.xml
    /// (OMAdminProtocolServerSideImpl.getOMConfiguration); it must list this node with the same
    /// address. Only connecting is retried, by the IPC client (ozone.om.admin.protocol.max.retries,
    /// 20 × 1 s). Every failing peer is collected, then the process exits 1 naming them all in
    /// OmUtils.getOMAddressListPrintString's form ("OM [id[host:port]]", "OM(s) [a[..],b[..]]").
    /// </summary>
    private async Task PreCheckAsync(string svc, string nodeId, string address, CancellationToken ct)
    {
        var failing = new List<string>();
        foreach (var peer in config.Nodes(svc).Where(n => n != nodeId))
        {
            var remote = await ConnectAsync(peer, ct);
            // A peer that never answered, or whose file (read now, from disk) lacks the joiner or has another address.
            if (remote is null || !remote.Nodes(svc).Contains(nodeId) || WithPort(remote.Address(svc, nodeId)) != WithPort(address)) failing.Add(peer);
        }
        if (failing.Count == 0) return;
        var list = string.Join(",", failing.Select(p => $"{p}[{WithPort(config.Address(svc, p))}]"));
        throw new SimExit(1, $"OM{(failing.Count == 1 ? "" : "(s)")} [{list}] do not have or have incorrect information of the bootstrapping OM. Update their ozone-site.xml before proceeding.");
    }

    /// <summary>The peer's on-disk configuration once it accepts the connection; null after the IPC client's 20 tries, 1 s apart.</summary>
    private async Task<SimConfig?> ConnectAsync(string peer, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            if (!state.Faults().PeerDown.Contains(peer) && state.Read().Running.TryGetValue(peer, out var running)) return SimConfig.Load(running.ConfPath);
            if (attempt >= 20) return null;
            await SimState.Sleep(1, ct);
        }
    }

    /// <summary>An OM address with Ozone's default RPC port (9862) when none is configured.</summary>
    private static string? WithPort(string? address) => address is null || address.Contains(':', StringComparison.Ordinal) ? address : $"{address}:9862";

    /// <summary>
    /// OzoneManager#bootstrap logs a bare "Failed to Bootstrap OM." and rethrows; OzoneManagerStarter prints the
    /// IOException OMInterServiceProtocolClientSideImpl#throwException made ("Error Code: X, Error Message: Y", 2.1.0).
    /// </summary>
    private static string BootstrapFailure(string codeAndMessage) =>
        $"Failed to Bootstrap OM.{Environment.NewLine}Failed to Bootstrap OM. Error Code: {codeAndMessage}";

    /// <summary>The joiner's disk check before it takes the leader's checkpoint (<see cref="BootstrapSpace"/>), against the leader of now.</summary>
    private string? SpaceShortfall()
    {
        var ring = state.Read();
        if (ring.Leader is not { } leader || !ring.Running.TryGetValue(leader, out var l)) return null;
        var db = OmData.DbPath(l.MetadataDir);
        var dbBytes = File.Exists(db) ? new FileInfo(db).Length : 0;
        return BootstrapSpace.Shortfall(version, l.Release, dbBytes, config, config.RatisSnapshotDir(version));
    }

    /// <summary>Asks the leader to add this node to the Ratis group; on success copies the leader's data.</summary>
    private async Task JoinAsync(string nodeId, string metadataDir, CancellationToken ct)
    {
        var (_, staged, refusal) = state.Update<(string? Leader, bool Staged, string? Refusal)>(r =>
        {
            if (r.Leader is null) return (null, false, "LEADER_UNDETERMINED");
            if (r.Voters.Contains(nodeId)) return (r.Leader, false, null);
            // OMInterServiceProtocolServerSideImpl#bootstrap answers RATIS_BOOTSTRAP_ERROR with the exception's message.
            if (Election.ReconfigurationInProgress(r, nodeId))
                return (r.Leader, false, $"RATIS_BOOTSTRAP_ERROR, Error Message: {Election.ReconfigurationInProgressMessage(r, config, config.ServiceId!)}");
            if (!r.PendingJoiners.Contains(nodeId)) r.PendingJoiners.Add(nodeId);
            r.StagingLeader = r.Leader;
            r.StagingLastHeard[nodeId] = DateTimeOffset.UtcNow;
            return (r.Leader, true, null);
        });
        if (refusal is not null) throw new SimExit(255, BootstrapFailure(refusal));

        var faults = state.Faults();
        if (faults.StallBootstrap.Contains(nodeId))
        {
            // HDDS-16057: SNAPSHOT_UNAVAILABLE forever; the process keeps running and never joins.
            await Task.Delay(Timeout.Infinite, ct);
        }
        if (faults.SlowJoinSeconds.TryGetValue(nodeId, out var slow)) await SimState.Sleep(slow, ct);
        if (SpaceShortfall() is { } shortfall)
        {
            // The checkpoint download is aborted and retried at the next install request: never catching up.
            Console.Error.WriteLine($"{DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm:ss,fff} [main] ERROR ratis_snapshot.OmRatisSnapshotProvider: {shortfall}");
            await Task.Delay(Timeout.Infinite, ct);
        }

        var error = state.Update(r =>
        {
            if (r.Leader is null) return "LEADER_UNDETERMINED";
            // The leader that staged it changed, or gave up on it (Election.TrackStaging): the request failed.
            if (staged && !r.PendingJoiners.Contains(nodeId) && !r.Voters.Contains(nodeId)) return $"RATIS_BOOTSTRAP_ERROR, Error Message: Failed to add OM {nodeId} in Ratis ring.";
            if (!Election.HasJointMajorityForAdd(r, nodeId)) return "LEADER_NOT_READY";
            r.PendingJoiners.Remove(nodeId);
            r.Removed.Remove(nodeId);
            if (!r.Voters.Contains(nodeId)) r.Voters.Add(nodeId);
            if (!r.Started.Contains(nodeId)) r.Started.Add(nodeId);
            // Bootstrapping again with the same id is Ozone's recovery for a lost disk: the leader's checkpoint restores it.
            r.LostLog.Remove(nodeId);
            // Every OM applies the add to its peer map (OzoneManager#addOMNodeToPeers).
            foreach (var (id, node) in r.Running)
                if (id != nodeId && !node.Peers.Contains(nodeId)) node.Peers.Add(nodeId);
            OmData.WriteKeys(metadataDir, OmData.ReadKeys(r.Running[r.Leader].MetadataDir));
            return null;
        });
        if (error is not null) throw new SimExit(255, BootstrapFailure(error));
        // OzoneManager#bootstrap logs this only once the leader's SetConfiguration succeeded; Ozone's
        // log4j console appender writes to stderr (hadoop-ozone/dist/src/shell/conf/log4j.properties).
        Console.Error.WriteLine($"{DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm:ss,fff} [main] INFO om.OzoneManager: Successfully bootstrapped OM {nodeId} and joined the Ratis group {state.Read().GroupId}");
    }
}
