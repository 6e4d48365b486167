using OmLifecycle.Cli;
using OmLifecycle.Membership;
using OmLifecycle.Ozone;

namespace OmLifecycle.Lifecycle;

/// <summary>
/// `transfer-leader`: moves OM leadership to the node <see cref="LeaderTarget"/> chooses (by default
/// the lowest ordinal that stays; --to a named node) and confirms it in the Ratis state.
/// `--away-from-self` is the preStop form; `--if-nodes-leave` the pre-upgrade hook form, which
/// moves leadership only when the leader itself leaves (removing followers needs no failover).
/// </summary>
public sealed class LeaderMover(LifecycleContext ctx)
{
    public async Task<int> RunAsync(string? to, bool awayFromSelf, int? replicas, CancellationToken cancellationToken, bool ifNodesLeave = false)
    {
        var desired = HookSupport.CheckReplicas(replicas ?? ctx.Doc.Replicas);
        if (to is not null) ctx.Doc.NodeFor(to);
        var (view, record, sts) = await HookSupport.ObserveAsync(ctx, cancellationToken);

        var mode = awayFromSelf ? TransferMode.AwayFromSelf : to is not null ? TransferMode.To : TransferMode.ToStaying;
        var self = awayFromSelf ? ctx.Self().Id : null;

        if (mode != TransferMode.AwayFromSelf && !view.HasLeader)
        {
            // Without the Kubernetes API no StatefulSet or ring record can tell a first install from an unreachable ring.
            if (ctx.Kube.Available && HookSupport.IsFirstInstall(view, record, sts))
            {
                Say("No OM ring exists yet (first install): nothing to transfer.");
                return (int)ExitCode.Done;
            }
            if (ifNodesLeave && to is null)
            {
                // The hook form moves leadership only off leaving nodes; with none leaving, a missing leader is not its problem.
                var leaving = HookSupport.KnownAtOrAbove(ctx, view, record, sts, desired);
                if (leaving.Count == 0)
                {
                    Say($"The ring has no leader now ({Describe(view)}), but nothing leaves: no OM at or above ordinal {desired} is known, so there is nothing to do.");
                    return (int)ExitCode.Done;
                }
                throw LifecycleException.Deadline($"No OM answers as leader ({Describe(view)}) and {string.Join(", ", leaving)} would leave. Leadership cannot be moved off leaving nodes without a leader; check 'om-lifecycle status' and run this again once the ring has one.");
            }
            throw LifecycleException.Deadline($"No OM answers as leader ({Describe(view)}). Leadership cannot be moved without a leader; check 'om-lifecycle status' and run this again once the ring has one.");
        }

        var voters = view.Voters.Select(v => new VoterFact(v, ctx.Doc.OrdinalOf(v), view.IsAlive(v))).ToList();
        var plan = LeaderTarget.Choose(new LeaderTargetFacts(mode, view.LeaderId, voters, desired, self, to, ifNodesLeave));
        ctx.Log.Info("transfer.plan", plan.Reason, ("mode", mode.ToString()), ("action", plan.Action.ToString()), ("target", plan.Target));
        return plan.Action switch
        {
            LeaderTargetAction.Move => await MoveAsync(view, ctx.Doc.NodeFor(plan.Target!), cancellationToken),
            LeaderTargetAction.Refuse => throw LifecycleException.Refused(plan.Reason),
            _ => Done(plan.Reason),
        };
    }

    private int Done(string message)
    {
        Say(message);
        return (int)ExitCode.Done;
    }

    /// <summary>Transfers to <paramref name="target"/> unless it leads already, then confirms it in the live ring.</summary>
    public async Task<int> MoveAsync(RingView view, OmNode target, CancellationToken cancellationToken)
    {
        if (view.LeaderId == target.Id)
        {
            Say($"{target.Id} already leads; nothing to do.");
            return (int)ExitCode.Done;
        }
        HookSupport.PrepareClientConfig(ctx, view, ctx.Kube.Available ? await ctx.Kube.ReadRingAsync(cancellationToken) : null);
        ctx.Log.Info("transfer.decide", $"moving leadership from {view.LeaderId} to {target.Id}", ("from", view.LeaderId), ("to", target.Id));
        var outcome = await ctx.Ozone.TransferLeaderAsync(target.Id, $"leadership to {target.Id}", cancellationToken);
        if (!outcome.Succeeded)
            throw LifecycleException.Ozone($"Ozone refused to move leadership to {target.Id} (exit {outcome.ExitCode}: {outcome.Reason}). The ring is unchanged; run this again, or pick another node with --to.");
        await HookSupport.WaitForAsync(ctx, v => v.LeaderId == target.Id, ctx.Doc.Timeouts.Command, $"{target.Id} to lead", cancellationToken);
        if (ctx.Kube.Available) await ctx.Kube.UpdateRingAsync(r => r with { Leader = target.Id }, cancellationToken);
        await ctx.Kube.RecordEventAsync("OMLeaderMoved", $"OM leadership moved from {view.LeaderId} to {target.Id}", warning: false, cancellationToken);
        Say($"{target.Id} leads now.");
        return (int)ExitCode.Done;
    }

    private static string Describe(RingView view) =>
        string.Join(", ", view.Probes.Values.Select(p => $"{p.NodeId}: {p.Problem ?? p.State?.Role}"));

    private void Say(string message)
    {
        Console.WriteLine(message);
        ctx.Log.Info("transfer.result", message);
    }
}
