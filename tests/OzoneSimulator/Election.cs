namespace OzoneSimulator;

/// <summary>
/// Ratis' rules, reduced to what the chart depends on: a leader exists only while a majority of
/// the current voters run; a running leader keeps leading; otherwise the lowest-ordinal running
/// voter wins a new term.
/// </summary>
public static class Election
{
    public static void Reconcile(Ring ring)
    {
        foreach (var (id, node) in ring.Running.ToList())
        {
            if (!Liveness.IsAlive(node.Pid, node.StartTicks)) ring.Running.Remove(id);
        }
        var alive = ring.Voters.Where(ring.Running.ContainsKey).ToList();
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
            return;
        }
        if (ring.Leader is not null && alive.Contains(ring.Leader)) return;
        ring.Leader = alive.OrderBy(Ordinal).ThenBy(v => v, StringComparer.Ordinal).First();
        ring.Term++;
        ring.LeaderChanges++;
    }

    /// <summary>Ratis commits an entry, including a configuration change, only with a majority of the current voters.</summary>
    public static bool HasMajority(int alive, int voters) => voters > 0 && alive * 2 > voters;

    /// <summary>
    /// Joint consensus (ratis-server RaftConfigurationImpl#hasMajority): removing <paramref name="leaving"/>
    /// commits only with a live majority of the current voters AND of the voters without it.
    /// </summary>
    public static bool HasJointMajority(Ring ring, string leaving)
    {
        var staying = ring.Voters.Where(v => v != leaving).ToList();
        return HasMajority(ring.Voters.Count(ring.Running.ContainsKey), ring.Voters.Count)
            && HasMajority(staying.Count(ring.Running.ContainsKey), staying.Count);
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
