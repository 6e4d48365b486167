using System.Text.Json;
using System.Text.Json.Serialization;

namespace OzoneSimulator;

/// <summary>A running `ozone om` process as the simulator knows it.</summary>
public sealed class RunningNode
{
    public int Pid { get; set; }
    public long StartTicks { get; set; }
    public string ConfPath { get; set; } = "";
    public string MetadataDir { get; set; } = "";
    public string Host { get; set; } = "";

    /// <summary>The Ozone release this OM process plays (<see cref="OzoneVersion"/>): a ring in a rolling upgrade runs two.</summary>
    public OzoneRelease Release { get; set; } = OzoneVersion.Default.Release;

    /// <summary>
    /// The OM's in-memory peer map (OzoneManager#peerNodesMap, Ozone 2.0-2.2): read from its
    /// ozone-site.xml at start without the ids listed as decommissioned, then changed only by the
    /// ring's own adds and removals (addOMNodeToPeers, removeOMNodeFromPeers). The leader checks a
    /// decommission against it, not against Ratis (OMAdminProtocolServerSideImpl#decommission: getPeerNode,
    /// else "OM node not present in the OM peer list.", Ozone 2.1.0).
    /// </summary>
    public List<string> Peers { get; set; } = [];
}

/// <summary>The shared state of the simulated Ratis ring (one JSON file, changed under a file lock).</summary>
public sealed class Ring
{
    public string ClusterId { get; set; } = "CID-" + Guid.NewGuid().ToString("N")[..12];
    public string? GroupId { get; set; }
    public List<string> Voters { get; set; } = [];
    /// <summary>
    /// Joiners the leader is staging (catching up) before their add commits: ratis-server
    /// LeaderStateImpl#startSetConfiguration gives each a log appender but keeps them out of the
    /// configuration. That staging state belongs to one leader (<see cref="StagingLeader"/>).
    /// </summary>
    public List<string> PendingJoiners { get; set; } = [];

    /// <summary>The leader that staged <see cref="PendingJoiners"/>: a leader change drops them.</summary>
    public string? StagingLeader { get; set; }

    /// <summary>When the leader last heard from each staging joiner (it answers while its process runs).</summary>
    public Dictionary<string, DateTimeOffset> StagingLastHeard { get; set; } = [];
    /// <summary>Nodes decommissioned from this ring and not added again.</summary>
    public List<string> Removed { get; set; } = [];
    /// <summary>A removal the leader began but could not commit: the ring sits in the joint configuration.</summary>
    public string? PendingRemoval { get; set; }
    public string? Leader { get; set; }
    public long Term { get; set; }
    public int LeaderChanges { get; set; }
    /// <summary>While nobody leads and a majority runs: when the first follower's election timer fires.</summary>
    public DateTimeOffset? ElectionDueAt { get; set; }
    /// <summary>Seeds every election's random draws (with the term); set OZONE_SIM_SEED to this to replay a run's winners.</summary>
    public int? ElectionSeed { get; set; }
    public Dictionary<string, RunningNode> Running { get; set; } = [];

    /// <summary>Nodes cut off from their Ratis peers (copied from faults.json at every update); their HTTP server still answers.</summary>
    public List<string> Isolated { get; set; } = [];

    /// <summary>A leader cut off from its majority that has not stepped down yet: it still answers LEADER at its old term.</summary>
    public StaleLeadership? StaleLeader { get; set; }

    /// <summary>The term each isolated voter last heard of: it hears no leader, and pre-vote keeps it from raising its term.</summary>
    public Dictionary<string, long> IsolatedTerms { get; set; } = [];

    /// <summary>Voters that have run with a Raft log (ratis/ on their volume): each later start must find that log again.</summary>
    public List<string> Started { get; set; } = [];

    /// <summary>
    /// Voters started as plain members on a volume whose Raft log was lost (a voter's empty disk, then
    /// `--init` and `ozone om`): they vote and acknowledge with no memory of earlier terms, which breaks
    /// Raft's safety. The twin fails any step that ends with one.
    /// </summary>
    public List<string> LostLog { get; set; } = [];

    /// <summary>Whether a voter takes part in Ratis: running and not cut off.</summary>
    public bool Reachable(string nodeId) => Running.ContainsKey(nodeId) && !Isolated.Contains(nodeId);

    /// <summary>
    /// Ozone names the Ratis group after the service id (`UUID.nameUUIDFromBytes(serviceId)`,
    /// OzoneManagerRatisServer); Ratis prints a group id as "group-" and the UUID's last 12 hex digits.
    /// </summary>
    public static string GroupIdFor(string serviceId) =>
        "group-" + Convert.ToHexString(System.Security.Cryptography.MD5.HashData(System.Text.Encoding.UTF8.GetBytes(serviceId)))[20..];
}

/// <summary>What a leader cut off from its majority still says until it steps down.</summary>
public sealed class StaleLeadership
{
    public string Id { get; set; } = "";
    public long Term { get; set; }
    public List<string> Followers { get; set; } = [];
    public DateTimeOffset StepsDownAt { get; set; }
}

/// <summary>Fault switches the tests and the twin flip in faults.json.</summary>
public sealed class Faults
{
    public Dictionary<string, double> SlowJoinSeconds { get; set; } = [];
    public List<string> StallBootstrap { get; set; } = [];
    public List<string> PeerDown { get; set; } = [];
    public bool RefuseTransfer { get; set; }
    public List<string> GarbageJmx { get; set; } = [];
    public List<ForcedExit> ForcedExits { get; set; } = [];

    /// <summary>Nodes cut off from their Ratis peers (a network partition); their JMX still answers whoever asks.</summary>
    public List<string> Isolated { get; set; } = [];

    /// <summary>Nodes whose `ozone om --init` waits for SCM until they are taken off this list.</summary>
    public List<string> ScmUnreachable { get; set; } = [];
}

/// <summary>Makes a command exit with a code: command is "init", "bootstrap", "roles", "decommission" or "transfer".</summary>
public sealed class ForcedExit
{
    public string Command { get; set; } = "";
    public string? Node { get; set; }
    public int Code { get; set; }
    public int Times { get; set; } = int.MaxValue;
}

/// <summary>The state directory ($OZONE_SIM_STATE) and its lock.</summary>
public sealed class SimState(string dir)
{
    internal static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    public string Dir { get; } = dir;

    public static SimState FromEnvironment() =>
        Environment.GetEnvironmentVariable("OZONE_SIM_STATE") is { Length: > 0 } dir
            ? new SimState(dir)
            : throw new SimExit(255, "OZONE_SIM_STATE is not set: the Ozone simulator needs a state directory.");

    /// <summary>Scales every wait of the simulator (not retry counts); tests run at 0.01.</summary>
    public static double TimeScale =>
        double.TryParse(Environment.GetEnvironmentVariable("OZONE_SIM_TIME_SCALE"), System.Globalization.CultureInfo.InvariantCulture, out var s) && s > 0 ? s : 1;

    public static Task Sleep(double seconds, CancellationToken ct = default) => Task.Delay(TimeSpan.FromSeconds(seconds * TimeScale), ct);

    /// <summary>Runs <paramref name="change"/> on the ring under an exclusive lock, after bringing liveness and leadership up to date.</summary>
    public T Update<T>(Func<Ring, T> change) => LockedJsonFile.Update<Ring, T>(Dir, "ring.json", "lock", ring =>
    {
        ring.Isolated = [.. Faults().Isolated];
        Election.Reconcile(ring);
        var result = change(ring);
        Election.Reconcile(ring);
        return result;
    });

    public Ring Read() => Update(r => r);

    public Faults Faults()
    {
        var path = Path.Combine(Dir, "faults.json");
        return File.Exists(path) ? JsonSerializer.Deserialize<Faults>(File.ReadAllText(path), Json) ?? new Faults() : new Faults();
    }

    public void WriteFaults(Faults faults) => LockedJsonFile.WriteAtomic(Dir, "faults.json", JsonSerializer.Serialize(faults, Json));

    /// <summary>Consumes one forced exit for this command and node, if any.</summary>
    public int? TakeForcedExit(string command, string? node)
    {
        Directory.CreateDirectory(Dir);
        using var lockFile = AcquireLock();
        var faults = Faults();
        var hit = faults.ForcedExits.FirstOrDefault(f => f.Command == command && (f.Node is null || f.Node == node) && f.Times > 0);
        if (hit is null) return null;
        hit.Times--;
        WriteFaults(faults);
        return hit.Code;
    }

    /// <summary>name → IP as cluster DNS answers it (<see cref="ClusterDnsResolver"/>: the twin's hosts.json behind CoreDNS's negative cache). An IP literal resolves to itself.</summary>
    public string? Resolve(string host) => new ClusterDnsResolver(Dir, ClusterDnsResolver.NegativeTtlFromEnvironment()).Resolve(host, DateTime.UtcNow);

    public void AppendCall(string line)
    {
        Directory.CreateDirectory(Dir);
        using var lockFile = AcquireLock();
        File.AppendAllText(Path.Combine(Dir, "calls.jsonl"), line + "\n");
    }

    private FileLock AcquireLock() => FileLock.Acquire(Path.Combine(Dir, "lock"));
}

/// <summary>Ends the simulated command with Ozone's exit code and its one-line message on stderr.</summary>
public sealed class SimExit(int code, string message) : Exception(message)
{
    public int Code { get; } = code;
}
