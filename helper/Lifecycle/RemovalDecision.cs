namespace OmLifecycle.Lifecycle;

/// <summary>How one voter leaves the ring.</summary>
public enum RemovalAction
{
    /// <summary>Stop the pod, then decommission it (Ozone's advice).</summary>
    StopFirst,
    /// <summary>Decommission it while it runs, then stop it (a ring that needs its vote to commit).</summary>
    RemoveRunning,
    /// <summary>No order commits: the change would leave the ring stuck in a joint configuration.</summary>
    Refuse,
}

public sealed record RemovalPlan(RemovalAction Action, string Reason);

/// <summary>
/// Ratis commits a configuration change only with a live majority of BOTH the old and the new
/// configuration (joint consensus, ratis-server RaftConfigurationImpl#hasMajority). Removing
/// <c>leaving</c> from <c>voters</c> is safe in an order only when both majorities hold in it.
/// Example: voters {0,1,2} with 1 down; removing 2 leaves {0,1} with one of two alive, so it cannot
/// commit in any order and must be refused.
/// </summary>
public static class RemovalDecision
{
    public static RemovalPlan Decide(IReadOnlyCollection<string> voters, IReadOnlyCollection<string> alive, string leaving)
    {
        var old = voters.Count;
        var aliveOld = voters.Count(alive.Contains);
        var staying = voters.Where(v => v != leaving).ToList();
        var aliveNew = staying.Count(alive.Contains);
        var leavingAlive = alive.Contains(leaving) ? 1 : 0;
        var down = string.Join(", ", voters.Where(v => !alive.Contains(v)));

        if (!IsMajority(aliveOld, old))
            return new(RemovalAction.Refuse, $"only {aliveOld} of {old} voters run, which is no majority: removing {leaving} could not be committed. Start the stopped OMs ({down}) first.");
        if (!IsMajority(aliveNew, staying.Count))
            return new(RemovalAction.Refuse, $"after removing {leaving} only {aliveNew} of the {staying.Count} staying voters would run, which is no majority of the new configuration: Ratis could not commit the change and the ring would be stuck. Start the stopped OMs ({down}) first.");
        if (IsMajority(aliveOld - leavingAlive, old))
            return new(RemovalAction.StopFirst, $"removing {leaving}: {aliveOld - leavingAlive} of {old} voters stay alive after it stops, a majority of the old and the new configuration, so it stops first");
        return new(RemovalAction.RemoveRunning, $"removing {leaving}: stopping it first would leave {aliveOld - leavingAlive} of {old}, no majority, so it is removed while it runs");
    }

    private static bool IsMajority(int alive, int voters) => voters > 0 && alive * 2 > voters;
}
