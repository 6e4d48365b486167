namespace OmLifecycle.Lifecycle;

/// <summary>The three forms of `transfer-leader`.</summary>
public enum TransferMode
{
    /// <summary>`--to NODE`: the named node, which must be a running voter.</summary>
    To,
    /// <summary>`--away-from-self` (the OM's preStop hook): off this node, if it leads, before it stops.</summary>
    AwayFromSelf,
    /// <summary>The default: to the lowest running voter that stays. The pre-upgrade hook's `--if-nodes-leave` does so only when the leader itself leaves.</summary>
    ToStaying,
}

public enum LeaderTargetAction
{
    /// <summary>Transfer leadership to <see cref="LeaderTargetPlan.Target"/> (nothing happens if it leads already).</summary>
    Move,
    /// <summary>Leave leadership where it is.</summary>
    Stay,
    /// <summary>No node can take over: say why and change nothing.</summary>
    Refuse,
}

/// <summary>A voter of the live ring: its ordinal (null when it is no OM of this release) and whether its Ratis server answers.</summary>
public sealed record VoterFact(string Id, int? Ordinal, bool Alive);

/// <summary>
/// What `transfer-leader` knows: the form, the live leader and voters, the desired size (ordinals
/// below it stay), this pod's node for <see cref="TransferMode.AwayFromSelf"/>, the node named by
/// `--to`, and whether the hook form asked to move only when nodes leave.
/// </summary>
public sealed record LeaderTargetFacts(TransferMode Mode, string? LeaderId, IReadOnlyList<VoterFact> Voters, int Desired,
    string? Self = null, string? To = null, bool OnlyIfNodesLeave = false);

public sealed record LeaderTargetPlan(LeaderTargetAction Action, string? Target, string Reason);

/// <summary>
/// Which node should lead after `transfer-leader`. Pure; the caller has already made sure a leader
/// exists for the forms that need one.
/// </summary>
/// <remarks>
/// The preStop rule avoids a second failover in a rolling update: a StatefulSet's RollingUpdate
/// restarts pods from the highest ordinal down, one at a time (Kubernetes docs, "StatefulSet update
/// strategies"), so the staying voters ABOVE the stopping leader have already restarted and will not
/// stop again in this rollout. The highest of them takes over; when there is none (the leader is the
/// highest ordinal, stopping first), the lowest staying voter does, which at least keeps leadership
/// on the ordinals that every client's node list has.
/// </remarks>
public static class LeaderTarget
{
    public static LeaderTargetPlan Choose(LeaderTargetFacts f)
    {
        var alive = f.Voters.Where(v => v.Alive && v.Ordinal is not null).ToList();
        var staying = alive.Where(v => v.Ordinal < f.Desired).ToList();
        switch (f.Mode)
        {
            case TransferMode.To:
                if (f.To is null || !alive.Any(v => v.Id == f.To))
                    return new(LeaderTargetAction.Refuse, null, $"--to {f.To}: that node is not a running voter of the ring (voters: {Ids(f.Voters)}; alive: {Ids(alive)}). Pick a running voter.");
                return new(LeaderTargetAction.Move, f.To, $"{f.To} was asked for with --to.");

            case TransferMode.AwayFromSelf:
                if (f.Self is null || f.LeaderId != f.Self)
                    return new(LeaderTargetAction.Stay, null, $"{f.Self} does not lead (leader: {f.LeaderId ?? "none"}); nothing to move before it stops.");
                var self = f.Voters.FirstOrDefault(v => v.Id == f.Self)?.Ordinal;
                var others = staying.Where(v => v.Id != f.Self).ToList();
                if (others.Where(v => v.Ordinal > self).MaxBy(v => v.Ordinal) is { } above)
                    return new(LeaderTargetAction.Move, above.Id, $"{above.Id} is the highest running voter above {f.Self} that stays: in a rolling update it has restarted already, so leadership moves only once.");
                if (others.MinBy(v => v.Ordinal) is { } lowest)
                    return new(LeaderTargetAction.Move, lowest.Id, $"No staying voter above {f.Self} runs, so the lowest running voter that stays, {lowest.Id}, takes over.");
                // A leader leaving the ring (scale-in moves leadership first; this is a pod stopped by hand) still hands over.
                if (alive.Where(v => v.Id != f.Self).MinBy(v => v.Ordinal) is { } any)
                    return new(LeaderTargetAction.Move, any.Id, $"No voter that stays runs besides {f.Self}; {any.Id} takes over.");
                return new(LeaderTargetAction.Stay, null, $"{f.Self} leads and no other voter is alive; it stops as leader.");

            default:
                if (f.OnlyIfNodesLeave && !f.Voters.Any(v => v.Ordinal >= f.Desired))
                    return new(LeaderTargetAction.Stay, null, $"No voter at or above ordinal {f.Desired} leaves, so leadership stays with {f.LeaderId}.");
                // Removing followers needs no transfer: a failover would cost clients a retry and the ring a window without a leader for nothing.
                if (f.OnlyIfNodesLeave && f.Voters.FirstOrDefault(v => v.Id == f.LeaderId)?.Ordinal < f.Desired)
                    return new(LeaderTargetAction.Stay, null, $"The leader {f.LeaderId} stays (ordinal below {f.Desired}); only followers leave, so leadership stays where it is.");
                if (staying.MinBy(v => v.Ordinal) is { } target)
                    return new(LeaderTargetAction.Move, target.Id, $"{target.Id} is the lowest running voter that stays.");
                return new(LeaderTargetAction.Refuse, null, $"No running voter below ordinal {f.Desired} can take over leadership (alive voters: {Ids(alive)}). Start the staying OMs first.");
        }
    }

    private static string Ids(IEnumerable<VoterFact> voters) => string.Join(", ", voters.Select(v => v.Id));
}
