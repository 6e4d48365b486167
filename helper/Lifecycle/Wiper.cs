using OmLifecycle.Cli;
using OmLifecycle.Volume;

namespace OmLifecycle.Lifecycle;

/// <summary>
/// `wipe --node ID`: the post-upgrade Job, with that node's volume mounted, removes the OM data of a
/// node that the live ring confirms is no longer a member. An empty volume is done.
/// </summary>
public sealed class Wiper(LifecycleContext ctx)
{
    public async Task<int> RunAsync(string nodeId, CancellationToken cancellationToken)
    {
        RefuseInsideOmPod();
        var node = ctx.Doc.NodeFor(nodeId);
        var dir = ctx.Doc.MetadataDir;
        var locations = ctx.DataLocations();
        var marker = BootstrapMarker.Read(dir);
        var version = OmVersionFile.Read(locations.DbRoot);
        if (!VolumeWiper.HoldsOmData(locations))
        {
            if (ctx.Kube.Available) await ctx.Kube.UpdateRingAsync(r => r.WithWiped(nodeId), cancellationToken);
            Say($"The volume of {nodeId} ({locations.Describe()}) holds no OM data: nothing to wipe.");
            return (int)ExitCode.Done;
        }
        if (version?.NodeId is { } owner && owner != nodeId)
            throw LifecycleException.Refused($"{locations.VersionPath} names OM '{owner}', not '{nodeId}': this is not {nodeId}'s volume. Nothing was wiped; mount the PVC of {nodeId}.");
        if (marker is not null && (marker.NodeId != nodeId || marker.ServiceId != ctx.Doc.ServiceId))
            throw LifecycleException.Refused($"The marker on this volume belongs to '{marker.NodeId}' of ring '{marker.ServiceId}', not '{nodeId}' of '{ctx.Doc.ServiceId}'. Nothing was wiped.");

        var view = await HookSupport.WaitForAsync(ctx, v => v.HasLeader, ctx.Doc.Timeouts.Command,
            $"a ring leader to confirm that {nodeId} is not a member (a volume is never wiped on a guess)", cancellationToken);
        if (view.IsVoter(nodeId))
            throw LifecycleException.Refused($"{nodeId} is still a voter of the ring (leader {view.LeaderId}); its data is never wiped while it is a member. Run scale-in (or 'om-lifecycle decommission --node {nodeId}') first.");
        var record = ctx.Kube.Available ? await ctx.Kube.ReadRingAsync(cancellationToken) : null;
        if (ctx.Doc.IsDesired(nodeId) && record?.Decommissioned.Contains(nodeId) != true)
            throw LifecycleException.Refused($"{nodeId} is a desired OM that was never recorded as decommissioned; its volume may be waiting to join. Nothing was wiped.");

        VolumeWiper.Wipe(locations);
        if (ctx.Kube.Available) await ctx.Kube.UpdateRingAsync(r => r.WithWiped(nodeId), cancellationToken);
        await ctx.Kube.RecordEventAsync("OMVolumeWiped", $"wiped the OM data of {nodeId}, which the ring leader {view.LeaderId} confirmed is no longer a member", warning: false, cancellationToken);
        Say($"Wiped the OM data of {nodeId} ({node.Host}) from {locations.Describe()}; its ordinal can join again as a new node.");
        return (int)ExitCode.Done;
    }

    /// <summary>
    /// An OM pod mounts only its own volume, in use by its running OM: wipe there would either wait
    /// for a ring that never stops counting this node, or delete the data under a live OM.
    /// </summary>
    private void RefuseInsideOmPod()
    {
        if (ctx.Env.PodName is { } pod && ctx.Doc.OrdinalOf(pod) is not null)
            throw LifecycleException.Refused(
                $"This pod is {pod}, an OM of ring '{ctx.Doc.ServiceId}', and wipe never runs inside an OM pod: the volume mounted here is {pod}'s own, used by its running OM. Run wipe in the chart's wipe Job, which mounts the PVC of the node to wipe. Nothing was wiped.");
    }

    private void Say(string message)
    {
        Console.WriteLine(message);
        ctx.Log.Info("wipe.result", message);
    }
}
