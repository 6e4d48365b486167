namespace OzoneSimulator;

/// <summary>
/// Ratis' rules, reduced to what the chart depends on: a leader exists only while a majority of
/// the current voters run; a running leader keeps leading; once it is lost, nobody leads until a
/// randomized election timeout has passed, and then any up-to-date running voter may win.
/// </summary>
/// <remarks>
/// Sources: ratis-server FollowerState and RaftServerImpl (a follower that hears no leader for a
/// random time between raft.server.rpc.timeout.min and .max starts an election), LeaderElection
/// (pre-vote on by default; a vote is granted only to a candidate whose log is at least as up to date),
/// and Ozone's OzoneManagerRatisServer, which sets the minimum to ozone.om.ratis.minimum.timeout (5 s)
/// and the maximum to the minimum plus 200 ms. The first candidate whose timer fires usually wins, so
/// the winner is any running voter with the longest log, picked at random here.
/// </remarks>
public static class Election
{
    /// <summary>
    /// Whether the leader refuses a configuration change now: RaftServerImpl#setConfigurationAsync
    /// (Ratis 3.1–3.2) allows none while another one is uncommitted (a removal waiting in the joint
    /// configuration) or the leader stages a joiner other than <paramref name="requester"/>.
    /// </summary>
    public static bool ReconfigurationInProgress(Ring r, string? requester = null) =>
        r.PendingRemoval is not null || r.PendingJoiners.Any(j => j != requester);

    /// <summary>ReconfigurationInProgressException's message, with the current configuration as Ratis prints it (the printed form [inferred]).</summary>
    public static string ReconfigurationInProgressMessage(Ring r, SimConfig config, string svc) =>
        $"Reconfiguration is already in progress: conf: {{index: {r.Term}, cur=peers:[{string.Join(", ", r.Voters.Select(v => $"{v}|{config.RatisAddress(svc, v)}"))}]|listeners:[], old=null}}";

    /// <summary>ozone.om.ratis.minimum.timeout's default (OMConfigKeys), before OZONE_SIM_TIME_SCALE.</summary>
    public const double MinimumTimeoutSeconds = 5;

    /// <summary>OzoneManagerRatisServer: the maximum election timeout is the minimum plus 200 ms.</summary>
    public const double TimeoutSpreadSeconds = 0.2;

    /// <summary>
    /// How long a leader cut off from its majority goes on saying LEADER. ratis-server
    /// impl/LeaderStateImpl#checkLeadership (Ratis 3.1–3.2) steps it down (LOST_MAJORITY_HEARTBEATS)
    /// only once it has led for the max election timeout and fewer than a majority of followers answered
    /// within that timeout; the check runs on the leader's own loop, so the simulator holds the claim for
    /// twice the max timeout (the harsher reading).
    /// </summary>
    public const double StepDownSeconds = 2 * (MinimumTimeoutSeconds + TimeoutSpreadSeconds);

    /// <summary>
    /// How long a staging joiner may stay silent before the leader gives up on it: ratis-server
    /// RaftServerConfigKeys#stagingTimeout falls back to 3 × raft.server.rpc.timeout.max, and
    /// LeaderStateImpl#checkProgress reports NOPROGRESS past it (Ratis 3.1–3.2).
    /// </summary>
    public const double StagingTimeoutSeconds = 3 * (MinimumTimeoutSeconds + TimeoutSpreadSeconds);

    /// <summary>The seed a replay passes in; without it each ring draws one and keeps it in ring.json.</summary>
    public const string SeedVariable = "OZONE_SIM_SEED";

    public static void Reconcile(Ring ring) => Reconcile(ring, DateTimeOffset.UtcNow);

    public static void Reconcile(Ring ring, DateTimeOffset now)
    {
        ring.ElectionSeed ??= SeedFromEnvironment() ?? Random.Shared.Next();
        foreach (var (id, node) in ring.Running.ToList())
        {
            if (!Liveness.IsAlive(node.Pid, node.StartTicks)) ring.Running.Remove(id);
        }
        TrackIsolation(ring, now);
        TrackStaging(ring, now);
        var alive = ring.Voters.Where(ring.Reachable).ToList();
        if (ring.PendingRemoval is { } leaving && ring.Leader is not null && HasJointMajority(ring, leaving))
        {
            // The joint configuration commits as soon as both majorities are back.
            ring.Voters.Remove(leaving);
            if (!ring.Removed.Contains(leaving)) ring.Removed.Add(leaving);
            ring.PendingRemoval = null;
            alive.Remove(leaving);
        }
        // In the joint configuration an election needs a majority of the old and of the new one.
        if (!HasMajority(alive.Count, ring.Voters.Count) || ring.PendingRemoval is { } pending && !HasJointMajority(ring, pending))
        {
            if (ring.Leader is not null) ring.Term++;
            ring.Leader = null;
            ring.ElectionDueAt = null;
            return;
        }
        if (ring.Leader is not null && alive.Contains(ring.Leader))
        {
            ring.ElectionDueAt = null;
            return;
        }
        // The leader is gone (or there never was one): LeaderId is null until a follower's timer fires.
        ring.Leader = null;
        var random = new Random(unchecked(ring.ElectionSeed.Value * 31 + (int)ring.Term));
        if (ring.ElectionDueAt is not { } due)
        {
            var timeout = MinimumTimeoutSeconds + random.NextDouble() * TimeoutSpreadSeconds;
            ring.ElectionDueAt = now + TimeSpan.FromSeconds(timeout * SimState.TimeScale);
            return;
        }
        if (now < due) return;
        // Voters grant their vote only to a candidate whose log is as long as theirs: the key table stands in for the log.
        var logs = alive.ToDictionary(v => v, v => OmData.ReadKeys(ring.Running[v].MetadataDir));
        var longest = logs.Values.Max(k => k.Count);
        var candidates = alive.Where(v => logs[v].Count == longest).OrderBy(Ordinal).ThenBy(v => v, StringComparer.Ordinal).ToList();
        ring.Leader = candidates[random.Next(candidates.Count)];
        ring.ElectionDueAt = null;
        ring.Term++;
        ring.LeaderChanges++;
        // The new leader's appendEntries bring every running follower up to its log.
        foreach (var follower in alive.Where(v => v != ring.Leader && logs[v].Count < longest))
            OmData.WriteKeys(ring.Running[follower].MetadataDir, logs[ring.Leader]);
    }

    /// <summary>
    /// A leader cut off from the others keeps its claim (<see cref="StepDownSeconds"/>) while the rest
    /// elect a new leader at a higher term; an isolated voter keeps the term it last heard. Once the
    /// partition heals, the higher term reaches them and they follow the current leader.
    /// </summary>
    private static void TrackIsolation(Ring ring, DateTimeOffset now)
    {
        foreach (var id in ring.IsolatedTerms.Keys.Where(id => !ring.Isolated.Contains(id) || !ring.Running.ContainsKey(id)).ToList())
            ring.IsolatedTerms.Remove(id);
        foreach (var id in ring.Isolated.Where(id => ring.Running.ContainsKey(id) && ring.Voters.Contains(id)))
            ring.IsolatedTerms.TryAdd(id, ring.Term);
        if (ring.StaleLeader is { } stale && (!ring.IsolatedTerms.ContainsKey(stale.Id) || now >= stale.StepsDownAt))
            ring.StaleLeader = null;
        if (ring.Leader is { } leader && ring.Isolated.Contains(leader) && ring.Running.ContainsKey(leader))
        {
            ring.StaleLeader = new StaleLeadership
            {
                Id = leader, Term = ring.Term, StepsDownAt = now + TimeSpan.FromSeconds(StepDownSeconds * SimState.TimeScale),
                Followers = ring.Voters.Concat(ring.PendingJoiners).Where(v => v != leader).Distinct().ToList(),
            };
            ring.Leader = null;
            ring.ElectionDueAt = null;
        }
    }

    /// <summary>
    /// Staging ends without the add in two ways (ratis-server LeaderStateImpl, Ratis 3.1–3.2): the
    /// staging state lives in one leader's LeaderStateImpl, so any leader change drops it; and
    /// ConfigurationStagingState#fail removes the appenders of joiners that made no progress
    /// within <see cref="StagingTimeoutSeconds"/> (a stopped joiner answers nothing). Either way the
    /// joiner's bootstrap request fails and it is no longer among the leader's Followers.
    /// </summary>
    private static void TrackStaging(Ring ring, DateTimeOffset now)
    {
        if (ring.PendingJoiners.Count > 0 && ring.StagingLeader != ring.Leader)
        {
            ring.PendingJoiners.Clear();
            ring.StagingLastHeard.Clear();
        }
        foreach (var joiner in ring.PendingJoiners.ToList())
        {
            if (ring.Reachable(joiner) || !ring.StagingLastHeard.ContainsKey(joiner)) ring.StagingLastHeard[joiner] = now;
            else if (now - ring.StagingLastHeard[joiner] > TimeSpan.FromSeconds(StagingTimeoutSeconds * SimState.TimeScale))
            {
                ring.PendingJoiners.Remove(joiner);
                ring.StagingLastHeard.Remove(joiner);
            }
        }
        foreach (var stale in ring.StagingLastHeard.Keys.Except(ring.PendingJoiners).ToList()) ring.StagingLastHeard.Remove(stale);
        if (ring.PendingJoiners.Count == 0) ring.StagingLeader = null;
    }

    private static int? SeedFromEnvironment() =>
        int.TryParse(Environment.GetEnvironmentVariable(SeedVariable), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var seed) ? seed : null;

    /// <summary>Ratis commits an entry, including a configuration change, only with a majority of the current voters.</summary>
    public static bool HasMajority(int alive, int voters) => voters > 0 && alive * 2 > voters;

    /// <summary>
    /// Joint consensus (ratis-server RaftConfigurationImpl#hasMajority): removing <paramref name="leaving"/>
    /// commits only with a live majority of the current voters AND of the voters without it.
    /// </summary>
    public static bool HasJointMajority(Ring ring, string leaving)
    {
        var staying = ring.Voters.Where(v => v != leaving).ToList();
        return HasMajority(ring.Voters.Count(ring.Reachable), ring.Voters.Count)
            && HasMajority(staying.Count(ring.Reachable), staying.Count);
    }

    /// <summary>
    /// Joint consensus for an add (RaftConfigurationImpl#hasMajority): the new configuration commits only
    /// with a live majority of the current voters AND of the voters with <paramref name="joining"/>.
    /// </summary>
    public static bool HasJointMajorityForAdd(Ring ring, string joining)
    {
        var grown = ring.Voters.Append(joining).Distinct().ToList();
        return HasMajority(ring.Voters.Count(ring.Reachable), ring.Voters.Count)
            && HasMajority(grown.Count(ring.Reachable), grown.Count);
    }

    public static int Ordinal(string nodeId)
    {
        var digits = new string(nodeId.Reverse().TakeWhile(char.IsAsciiDigit).Reverse().ToArray());
        return int.TryParse(digits, out var n) ? n : int.MaxValue;
    }
}

/// <summary>Whether a recorded process still runs: same pid and the same start time in /proc.</summary>
public static class Liveness
{
    public static long StartTicks(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return long.Parse(fields[19], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or FormatException or IndexOutOfRangeException or UnauthorizedAccessException)
        {
            return -1;
        }
    }

    public static bool IsAlive(int pid, long startTicks)
    {
        if (StartTicks(pid) != startTicks) return false;
        // A zombie (exited, not yet reaped) is not running.
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[stat.LastIndexOf(')') + 2] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }
}
