using System.Text;
using System.Text.Json;
using OmLifecycle.Cli;
using OmLifecycle.Kubernetes;
using OmLifecycle.Membership;
using OmLifecycle.Ozone;

namespace OmLifecycle.Lifecycle;

/// <summary>
/// `scale-in` and `decommission`: take OMs out of the ring ONE AT A TIME, highest ordinal first,
/// so that a majority of the current Ratis configuration runs at every moment (docs/architecture.md,
/// "Shrinking: the quorum trap"). Every step is recorded in the ring ConfigMap before it happens, and every run
/// starts again from the live ring, so a rerun after a kill finishes the job. Only one runs at a
/// time (<see cref="ScaleInLock"/>): a rerun after Helm's --timeout waits for the old Job's pod.
/// </summary>
public sealed class ScaleIn(LifecycleContext ctx)
{
    public async Task<int> RunAsync(int? replicas, CancellationToken cancellationToken)
    {
        var desired = HookSupport.CheckReplicas(replicas ?? ctx.Doc.Replicas);
        RequireKubernetes();
        var gate = new ScaleInLock(ctx);
        await gate.AcquireAsync(cancellationToken);
        try { return await RunLockedAsync(desired, cancellationToken); }
        finally { await gate.ReleaseAsync(); }
    }

    private async Task<int> RunLockedAsync(int desired, CancellationToken cancellationToken)
    {
        // A run killed between a scale and its release leaves spec.replicas owned by us; give it back first.
        await ctx.Kube.ReleaseReplicasAsync(cancellationToken);
        var removed = new List<string>();
        while (true)
        {
            var (view, record, sts) = await HookSupport.ObserveAsync(ctx, cancellationToken);
            if (!view.HasLeader)
            {
                if (HookSupport.IsFirstInstall(view, record, sts))
                {
                    Say("No OM ring exists yet (first install): nothing to scale in.");
                    return (int)ExitCode.Done;
                }
                var mayLeave = HookSupport.KnownAtOrAbove(ctx, view, record, sts, desired);
                if (mayLeave.Count == 0)
                {
                    // Same size or growth: nothing to remove, so a ring without a leader (yet) is no reason to block the upgrade.
                    Say($"The ring has no leader now, but nothing leaves: no OM at or above ordinal {desired} is known (voters the record last saw: {string.Join(", ", record?.ActualVoters ?? [])}), so there is nothing to do.");
                    return (int)ExitCode.Done;
                }
                throw LifecycleException.Deadline($"No OM leader answers, so no node can be removed safely ({string.Join(", ", mayLeave)} would leave; voters the record last saw: {string.Join(", ", record?.ActualVoters ?? [])}). Start the staying OMs and run scale-in again.");
            }

            var leaving = view.Voters.Where(v => ctx.Doc.OrdinalOf(v) is { } o && o >= desired)
                .Select(ctx.Doc.NodeFor).OrderByDescending(n => n.Ordinal).ToList();
            if (leaving.Count == 0)
            {
                await ctx.Kube.UpdateRingAsync(r => r with { Operation = null, DesiredVoters = desired, ActualVoters = view.Voters, Leader = view.LeaderId }, cancellationToken);
                Say(removed.Count == 0
                    ? $"No voter at or above ordinal {desired}: nothing leaves. Voters: {string.Join(", ", view.Voters)}."
                    : $"Removed {string.Join(", ", removed)}; voters now {string.Join(", ", view.Voters)}.");
                return (int)ExitCode.Done;
            }

            if (ctx.Doc.OrdinalOf(view.LeaderId!) is not { } leaderOrdinal || leaderOrdinal >= desired)
            {
                await RecordAsync("scale-in", view.LeaderId!, "transfer", cancellationToken);
                var target = HookSupport.LowestStayingAliveVoter(ctx, view, desired)
                    ?? throw LifecycleException.Refused($"The leader {view.LeaderId} is leaving and no staying voter (ordinal below {desired}) is alive to take over. Start the staying OMs first.");
                await new LeaderMover(ctx).MoveAsync(view, target, cancellationToken);
                continue;
            }

            await RemoveAsync(leaving[0], view, sts, cancellationToken);
            removed.Add(leaving[0].Id);
        }
    }

    public async Task<int> DecommissionOneAsync(string nodeId, CancellationToken cancellationToken)
    {
        var node = ctx.Doc.NodeFor(nodeId);
        if (ctx.Doc.IsDesired(nodeId))
            throw LifecycleException.Refused($"{nodeId} is one of the {ctx.Doc.Replicas} desired OMs; removing it would go below the desired size. Lower om.replicas with helm upgrade instead, which removes the highest ordinals.");
        RequireKubernetes();
        var gate = new ScaleInLock(ctx);
        await gate.AcquireAsync(cancellationToken);
        try { return await DecommissionLockedAsync(node, nodeId, cancellationToken); }
        finally { await gate.ReleaseAsync(); }
    }

    private async Task<int> DecommissionLockedAsync(OmNode node, string nodeId, CancellationToken cancellationToken)
    {
        var (view, record, sts) = await HookSupport.ObserveAsync(ctx, cancellationToken);
        if (!view.HasLeader)
            throw LifecycleException.Deadline($"No OM leader answers, so {nodeId} cannot be removed safely. Run 'om-lifecycle status' and try again once the ring has a leader.");
        if (!view.IsVoter(nodeId))
        {
            if (record?.Decommissioned.Contains(nodeId) == true)
            {
                Say($"{nodeId} is not in the ring any more (leader {view.LeaderId}); nothing to do.");
                return (int)ExitCode.Done;
            }
            throw LifecycleException.Refused($"{nodeId} is not a voter of the ring (voters: {string.Join(", ", view.Voters)}). Check the node id with 'om-lifecycle status'.");
        }
        if (view.LeaderId == nodeId)
            throw LifecycleException.Refused($"{nodeId} is the leader; Ozone cannot remove the leader. Run 'om-lifecycle transfer-leader' first.");
        if (view.Voters.Count <= 1)
            throw LifecycleException.Refused($"{nodeId} is the last voter; a ring cannot remove its last node.");
        await RemoveAsync(node, view, sts, cancellationToken);
        Say($"{nodeId} was removed from the ring.");
        return (int)ExitCode.Done;
    }

    /// <summary>
    /// Removes one voter: stop it first when the rest keep a live majority (Ozone's advice), else
    /// remove it while it runs and stop it afterwards (a two-node ring going to one).
    /// </summary>
    private async Task RemoveAsync(OmNode node, RingView view, int? sts, CancellationToken cancellationToken)
    {
        var plan = RemovalDecision.Decide(view.Voters, view.AliveVoters, node.Id);
        if (plan.Action == RemovalAction.Refuse) throw LifecycleException.Refused(char.ToUpperInvariant(plan.Reason[0]) + plan.Reason[1..]);
        var stopFirst = plan.Action == RemovalAction.StopFirst;
        var decision = plan.Reason;
        ctx.Log.Info("scale-in.decide", decision, ("node", node.Id), ("voters", view.Voters), ("alive", view.AliveVoters));
        await ctx.Kube.RecordEventAsync("OMDecommissioning", decision, warning: false, cancellationToken);

        await RecordAsync("scale-in", node.Id, "recording", cancellationToken);
        await ctx.Kube.UpdateRingAsync(r => r.WithDecommissioned(node.Id), cancellationToken);
        // Ozone's decommission check resolves the node's name, and cluster DNS keeps a miss for up to
        // 30 s (CoreDNS `cache 30` over the kubernetes plugin's `ttl 30`, kubeadm's Corefile): one lookup,
        // by anyone, while neither the pod nor a stand-in names the node would fail every decommission
        // for that long. So the stand-in is published before the pod goes; meanwhile the name has both addresses.
        if (stopFirst && ctx.Env.PodIp is { } earlyIp) await ctx.Kube.EnsureStandInAddressAsync(node.Id, earlyIp, cancellationToken);
        if (stopFirst) await StopPodAsync(node, sts, cancellationToken);

        if (ctx.Env.PodIp is { } ip && !await ctx.Kube.PodExistsAsync(node.Id, cancellationToken))
            await ctx.Kube.EnsureStandInAddressAsync(node.Id, ip, cancellationToken);
        await RecordAsync("scale-in", node.Id, "decommissioning", cancellationToken);
        await DecommissionAsync(node, cancellationToken);
        await RecordAsync("scale-in", node.Id, "decommissioned", cancellationToken);

        if (!stopFirst) await StopPodAsync(node, sts, cancellationToken);
        await ctx.Kube.RemoveStandInAddressAsync(node.Id, cancellationToken);
        var after = await HookSupport.WaitForAsync(ctx, v => v.HasLeader, ctx.Doc.Timeouts.Command, "the ring to have a leader after the removal", cancellationToken);
        await ctx.Kube.UpdateRingAsync(r => r with { Operation = null, ActualVoters = after.Voters, Leader = after.LeaderId }, cancellationToken);
        ctx.Log.Info("scale-in.removed", $"{node.Id} left the ring", ("node", node.Id), ("voters", after.Voters));
        await ctx.Kube.RecordEventAsync("OMDecommissioned", $"{node.Id} left the OM ring; voters now {string.Join(", ", after.Voters)} (leader {after.LeaderId}); its volume waits for 'om-lifecycle wipe' (the post-upgrade Job runs it)", warning: false, cancellationToken);
    }

    /// <summary>
    /// A joiner whose add never committed is in the leader's Ratis Followers (it has a log appender)
    /// but not in its peer map, exactly like a voter the leader forgot. Once its pod is gone the
    /// leader gives up on it within Ratis' staging timeout, 3 × raft.server.rpc.timeout.max
    /// (RaftServerConfigKeys#stagingTimeout; OzoneManagerRatisServer makes the max 5.2 s by default),
    /// and drops it from Followers, while a real voter stays. So wait that long, with margin, first.
    /// </summary>
    private static readonly TimeSpan StagingGrace = TimeSpan.FromSeconds(30);

    /// <summary>Runs Ozone's decommission until the live ring no longer lists the node, or the deadline passes.</summary>
    private async Task DecommissionAsync(OmNode node, CancellationToken cancellationToken)
    {
        var deadline = ctx.Clock.GetUtcNow() + ctx.Doc.Timeouts.Decommission;
        var lastReason = "";
        var leadersWithoutPeer = new List<string>();
        DateTimeOffset? unknownSince = null;
        while (true)
        {
            var (view, record, _) = await HookSupport.ObserveAsync(ctx, cancellationToken);
            if (view.HasLeader && !view.IsVoter(node.Id)) return;
            if (view.HasLeader)
            {
                HookSupport.PrepareDecommissionClientConfig(ctx, view, record, node);
                var outcome = await ctx.Ozone.DecommissionAsync(node.Id, node.Host, $"{node.Id} leaves the ring", cancellationToken);
                if (outcome.Succeeded)
                {
                    await HookSupport.WaitForAsync(ctx, v => v.HasLeader && !v.IsVoter(node.Id), ctx.Doc.Timeouts.Command, $"{node.Id} to leave the Ratis configuration", cancellationToken);
                    return;
                }
                if (outcome.Failure == OzoneFailureKind.NotInPeerList && view.LeaderId != node.Id && view.IsVoter(node.Id))
                {
                    unknownSince ??= ctx.Clock.GetUtcNow();
                    if (ctx.Clock.GetUtcNow() - unknownSince < StagingGrace && !await ctx.Kube.PodExistsAsync(node.Id, cancellationToken))
                    {
                        var staging = $"{node.Id} may be a joiner the leader was still catching up, which Ratis drops once it is stopped";
                        // Once per wait, not once per poll.
                        if (lastReason != staging) ctx.Log.Info("scale-in.staging", $"The leader {view.LeaderId} lists {node.Id} among its Ratis followers but not in its peer map, and its pod is gone: it may never have finished joining. Waiting up to {StagingGrace.TotalSeconds:0} s for Ratis to drop it before moving leadership.", ("node", node.Id), ("leader", view.LeaderId));
                        lastReason = staging;
                        await ctx.PauseAsync(cancellationToken);
                        continue;
                    }
                    await MoveOffLeaderWithoutPeerAsync(node, view, leadersWithoutPeer, cancellationToken);
                    continue;
                }
                // Usually another OM's ozone-site.xml does not list the node as decommissioned yet, or
                // Ratis is still busy with another change (a joiner being caught up): both pass, so ask again.
                lastReason = outcome.Failure == OzoneFailureKind.ReconfigurationInProgress
                    ? $"the leader's Ratis is still busy with another configuration change ({outcome.Reason})"
                    : $"exit {outcome.ExitCode}: {outcome.Reason}";
            }
            else lastReason = "no leader";
            if (ctx.Clock.GetUtcNow() > deadline)
                throw LifecycleException.Deadline($"Ozone did not decommission {node.Id} within timeouts.decommission ({ctx.Doc.Timeouts.Decommission.TotalSeconds:0} s); last answer {lastReason}. The ring is consistent; run scale-in again to resume.");
            await ctx.PauseAsync(cancellationToken);
        }
    }

    /// <summary>
    /// The leader checks a decommission against its in-memory peer map, built at its start without
    /// the ids then listed as decommissioned (OMAdminProtocolServerSideImpl#decommission
    /// looks the node up with OzoneManager#getPeerNode, Ozone 2.1.0): a leader that
    /// restarted after <paramref name="node"/> was listed does not know it, while Ratis still counts
    /// it. Another running voter may have started before; leadership moves there, once per voter.
    /// </summary>
    private async Task MoveOffLeaderWithoutPeerAsync(OmNode node, RingView view, List<string> tried, CancellationToken cancellationToken)
    {
        tried.Add(view.LeaderId!);
        var next = view.AliveVoters.Where(v => v != node.Id && !tried.Contains(v) && ctx.Doc.OrdinalOf(v) is not null)
            .Select(ctx.Doc.NodeFor).OrderBy(n => ctx.Doc.IsDesired(n.Id) ? 0 : 1).ThenBy(n => n.Ordinal).FirstOrDefault();
        if (next is null)
            throw LifecycleException.Ozone($"Ozone refuses to remove {node.Id}: every running OM that could lead ({string.Join(", ", tried)}) answered 'OM node not present in the OM peer list.', because each started after {node.Id} was listed as decommissioned, so its in-memory peer map lacks the node while Ratis still counts it as a voter. Nothing was removed and the ring keeps its quorum; see docs/troubleshooting.md ('OM node not present in the OM peer list') for how to let one OM know the node again.");
        var why = $"The leader {view.LeaderId} does not know {node.Id} (it started after {node.Id} was listed as decommissioned, so its peer map lacks it); moving leadership to {next.Id} and asking again.";
        ctx.Log.Warn("scale-in.peer-unknown", why, ("node", node.Id), ("leader", view.LeaderId), ("next", next.Id));
        Console.WriteLine(why);
        await new LeaderMover(ctx).MoveAsync(view, next, cancellationToken);
    }

    /// <summary>Stops exactly this pod: the StatefulSet goes down to its ordinal (never up), then waits for the pod to be gone.</summary>
    private async Task StopPodAsync(OmNode node, int? sts, CancellationToken cancellationToken)
    {
        await RecordAsync("scale-in", node.Id, "stopping", cancellationToken);
        var current = await ctx.Kube.GetStatefulSetReplicasAsync(cancellationToken) ?? sts;
        if (current is { } size && size > node.Ordinal) await ctx.Kube.ScaleStatefulSetAsync(node.Ordinal, cancellationToken);
        var deadline = ctx.Clock.GetUtcNow() + ctx.Doc.Timeouts.Decommission;
        while (await ctx.Kube.PodExistsAsync(node.Id, cancellationToken))
        {
            if (ctx.Clock.GetUtcNow() > deadline)
                throw LifecycleException.Deadline($"Pod {node.Id} was still there {ctx.Doc.Timeouts.Decommission.TotalSeconds:0} s after the StatefulSet was scaled to {node.Ordinal}. Check why it does not terminate, then run scale-in again.");
            await ctx.PauseAsync(cancellationToken);
        }
        await RecordAsync("scale-in", node.Id, "stopped", cancellationToken);
    }

    private Task RecordAsync(string kind, string node, string step, CancellationToken cancellationToken)
    {
        var operation = OperationJson(kind, node, step, ctx.Clock.GetUtcNow());
        ctx.Log.Info("scale-in.step", $"{node}: {step}", ("node", node), ("step", step));
        return ctx.Kube.UpdateRingAsync(r => r with { Operation = operation }, cancellationToken);
    }

    public static string OperationJson(string kind, string node, string step, DateTimeOffset at)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("kind", kind);
            json.WriteString("node", node);
            json.WriteString("step", step);
            json.WriteString("at", at.ToString("O"));
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private void RequireKubernetes()
    {
        if (!ctx.Kube.Available)
            throw LifecycleException.Refused("Removing an OM stops its pod through the Kubernetes API, which is not reachable here (no service account and no OM_LIFECYCLE_KUBECONFIG). Run this in an OM pod or the chart's hook Job.");
    }

    private void Say(string message)
    {
        Console.WriteLine(message);
        ctx.Log.Info("scale-in.result", message);
    }
}
