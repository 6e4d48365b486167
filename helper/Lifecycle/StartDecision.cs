using OmLifecycle.Kubernetes;
using OmLifecycle.Membership;
using OmLifecycle.Ozone;
using OmLifecycle.Volume;

namespace OmLifecycle.Lifecycle;

public enum StartAction
{
    /// <summary>Run `ozone om` as a member (after `--init` when the volume is empty).</summary>
    Member,
    /// <summary>First install: `--init` then `ozone om` with all initial members.</summary>
    InitialMember,
    /// <summary>Join a running ring with `ozone om --bootstrap`.</summary>
    Bootstrap,
    /// <summary>Not yet: another node must join first, or no ring is reachable.</summary>
    Wait,
    /// <summary>This volume holds the data of a node the ring removed: wipe it, then decide again.</summary>
    WipeStale,
    Refuse,
}

/// <summary>What start knows: this node, its volume, the live ring and the tool's own record.</summary>
/// <remarks><see cref="BootstrapUnconfirmed"/>: this volume ran `--bootstrap` and was never confirmed (<see cref="BootstrapStarted"/>).
/// <see cref="HoldsOmData"/>: any OM artifact in any of its data dirs (<see cref="VolumeWiper.HoldsOmData(OmDataLocations)"/>).</remarks>
public sealed record StartFacts(MembershipDocument Doc, OmNode Self, BootstrapMarker? Marker, OmVersionFile? Version, RingView Ring, RingRecord? Record, bool KubernetesAvailable, bool BootstrapUnconfirmed = false, OmDataLocations? Locations = null, bool HoldsOmData = false)
{
    /// <summary>Where VERSION is: under ozone.om.db.dirs when set (OMStorage.getOmDbDir).</summary>
    public string VersionPath => (Locations ?? OmDataLocations.Default(Doc.MetadataDir)).VersionPath;
}

/// <summary>The decision and why; <see cref="ConfigNodes"/> is the node list this node starts with.</summary>
public sealed record StartPlan(StartAction Action, string Reason, IReadOnlyList<OmNode> ConfigNodes, bool NeedsInit, bool NeedsMarker);

/// <summary>
/// Decides what an OM does at start (docs/architecture.md, "Starting an OM"). Pure: the live ring decides
/// member or joiner; the lookup delta is only a hint.
/// </summary>
public static class StartDecision
{
    public static StartPlan Decide(StartFacts f)
    {
        var self = f.Self;
        var doc = f.Doc;
        var ring = f.Ring;
        var isVoter = ring.IsVoter(self.Id);

        if (!doc.IsDesired(self.Id) && !isVoter)
            return Refuse($"{self.Id} is not among the {doc.Replicas} desired OMs and is not a member of the live ring; it is leaving and scale-in stops it. Nothing to start.");

        if (f.Version?.NodeId is { } versionNode && versionNode != self.Id)
            return Refuse($"The volume's VERSION ({f.VersionPath}) belongs to OM '{versionNode}', not '{self.Id}'. This PVC holds another node's data: give this pod its own volume, or wipe it with 'om-lifecycle wipe --node {versionNode}' once that node is gone.");

        if (f.Marker is { } marker)
        {
            if (marker.NodeId != self.Id || marker.ServiceId != doc.ServiceId)
                return Refuse($"The bootstrap marker says this volume belongs to node '{marker.NodeId}' of ring '{marker.ServiceId}', but this is '{self.Id}' of ring '{doc.ServiceId}'. Refusing to start on another ring's data; use a fresh volume or wipe this one.");
            // The marker took its cluster id from VERSION when the node was confirmed; another id means om/ now holds
            // another cluster's data (`ozone om --init` exits 0 on any existing VERSION, OzoneManager.omInit).
            if (marker.ClusterId.Length > 0 && f.Version?.ClusterId is { } versionCluster && versionCluster != marker.ClusterId)
                return Refuse($"{f.VersionPath} is of cluster '{versionCluster}', but the marker says {self.Id} joined cluster '{marker.ClusterId}': this volume holds another cluster's OM data (a reused or restored PVC). Nothing was started; give this pod the volume of its own cluster, or wipe this one with 'om-lifecycle wipe --node {self.Id}' if its data is not needed, and let it join again.");
            if (ring.HasLeader && !isVoter)
            {
                if (f.Record?.Decommissioned.Contains(self.Id) == true)
                    return new StartPlan(StartAction.WipeStale, $"{self.Id} was decommissioned (ring record) and the leader {ring.LeaderId} does not list it; its old data must go before it can join again.", [], false, false);
                return Refuse($"The marker says {self.Id} is a member, but the leader {ring.LeaderId} does not have it in the Ratis configuration ({string.Join(", ", ring.Voters)}). Run 'om-lifecycle status' and, if the node was removed, 'om-lifecycle wipe --node {self.Id}' before it joins again.");
            }
            if (!ring.HasLeader && f.Record?.Decommissioned.Contains(self.Id) == true)
                return Wait($"{self.Id} was decommissioned (ring record) and its volume still holds the old ring's data; it waits for a leader to confirm that before it wipes the data and joins again, instead of starting as a member of a ring that removed it.");
            if (f.Version is null)
                return Refuse($"The marker says {self.Id} is a member, but {f.VersionPath} is missing: the volume is incomplete. Run 'om-lifecycle status'; wipe it and let it join again if the ring has a majority without it.");
            return new StartPlan(StartAction.Member, $"{self.Id} has its bootstrap marker: it is a member and starts normally.", MemberList(f), false, false);
        }

        // No marker and no VERSION, yet a DB or Ratis log (perhaps in a dir of its own): a half-done wipe or lost
        // VERSION. `--init` would write a fresh VERSION beside the old ring's log.
        if (f.Version is null && f.HoldsOmData)
            return Refuse($"{self.Id}'s volume has no {f.VersionPath} but holds other OM data ({(f.Locations ?? OmDataLocations.Default(doc.MetadataDir)).Describe()}): it is incomplete, and an init would start it on another ring's log. Nothing was started; run 'om-lifecycle status', then wipe the volume with 'om-lifecycle wipe --node {self.Id}' in a Job with its PVC (or delete the PVC) so that it joins again.");

        if (ring.HasLeader)
        {
            // The leader's Followers lists a peer that is still catching up: a node whose bootstrap was never
            // confirmed may not be a voter, so it bootstraps again (a no-change SetConfiguration succeeds in Ratis).
            if (isVoter && f.Version is null)
                return LostVolume(f);
            if (isVoter && !f.BootstrapUnconfirmed)
                return new StartPlan(StartAction.Member,
                    $"The leader {ring.LeaderId} lists {self.Id} as a voter: it is a member whose marker was not written yet.",
                    MemberList(f), false, true);

            var ahead = doc.Nodes.Where(n => n.Ordinal < self.Ordinal && !ring.IsVoter(n.Id)).Select(n => n.Id).ToList();
            if (ahead.Count > 0)
                return Wait($"{self.Id} joins after the lower ordinals {string.Join(", ", ahead)}, which are not members yet (one bootstrap at a time, in ordinal order).");

            var joinerList = ring.Voters.Where(v => doc.OrdinalOf(v) is not null).Select(doc.NodeFor).Append(self).DistinctBy(n => n.Id).OrderBy(n => n.Ordinal).ToList();
            if (isVoter)
                return new StartPlan(StartAction.Bootstrap,
                    $"{self.Id} ran '--bootstrap' before and was never confirmed; the leader {ring.LeaderId} lists it, but it lists a peer that is still catching up too: bootstrap again until the leader's peer map ('ozone admin om roles') lists it, i.e. the add committed.",
                    joinerList, false, true);
            return new StartPlan(StartAction.Bootstrap,
                $"A ring with leader {ring.LeaderId} exists and {self.Id} is not in it: bootstrap with the confirmed members {string.Join(", ", ring.Voters)} plus itself.",
                joinerList, false, true);
        }

        if (IsFirstInstall(f))
            return new StartPlan(StartAction.InitialMember,
                $"No ring exists yet and this is a first install: {self.Id} initialises with all {doc.Replicas} initial members.",
                doc.Nodes, f.Version is null, true);

        var asked = string.Join(", ", ring.Probes.Values.Select(p => $"{p.NodeId}: {p.Problem ?? p.State?.Role.Trim()}"));
        var unbelieved = ring.LeaderProblem is { } why ? $" No claim to lead is believed: {why}." : "";
        if (f.Version is null && f.Record?.ActualVoters.Contains(self.Id) == true)
            return Wait($"{self.Id} is a recorded voter and its volume came back empty (no marker, no VERSION), but no confirmed leader answers ({asked}).{unbelieved} It joins again with '--bootstrap' only once a leader with a majority without it confirms it; it never starts as a member on an empty volume.");
        return Wait($"No OM ring with a leader answers ({asked}) and this is not a first install, so {self.Id} waits instead of starting a new ring.{unbelieved}");

        static StartPlan Refuse(string why) => new(StartAction.Refuse, why, [], false, false);
        static StartPlan Wait(string why) => new(StartAction.Wait, why, [], false, false);
    }

    /// <summary>
    /// The leader lists this node as a voter but its volume is empty: its disk was lost (or it is an
    /// initial member that never ran; nothing on the volume tells these apart, so the harsher reading
    /// wins). Its Raft log and votes are gone, so starting it as a plain member would let it vote and
    /// acknowledge as if it had them. Ozone's documented recovery is `ozone om --bootstrap` again with
    /// the same node id on an empty disk (ozone-facts.md, "Releases and open bugs"): the leader keeps
    /// the configuration and sends the node its checkpoint. That is safe only while the other voters
    /// are a majority without it.
    /// </summary>
    private static StartPlan LostVolume(StartFacts f)
    {
        var self = f.Self;
        var ring = f.Ring;
        var others = ring.AliveVoters.Where(v => v != self.Id).ToList();
        if (!RingView.IsMajority(others.Count, ring.Voters.Count))
            return new StartPlan(StartAction.Wait,
                $"The leader {ring.LeaderId} lists {self.Id} as a voter but its volume is empty (no marker, no VERSION): its data was lost. Only {others.Count} of the {ring.Voters.Count} voters ({string.Join(", ", others)}) run without it, not a majority, so it waits instead of bootstrapping again; start the other OMs first.",
                [], false, false);
        var list = ring.Voters.Where(v => f.Doc.OrdinalOf(v) is not null).Select(f.Doc.NodeFor).Append(self).DistinctBy(n => n.Id).OrderBy(n => n.Ordinal).ToList();
        return new StartPlan(StartAction.Bootstrap,
            $"The leader {ring.LeaderId} lists {self.Id} as a voter but its volume is empty (no marker, no VERSION): its data was lost. {others.Count} of the {ring.Voters.Count} voters run without it, a majority, so it bootstraps again with the same node id (Ozone's recovery for a lost OM disk) and gets the leader's checkpoint, instead of starting as a member with no Raft log.",
            list, false, true);
    }

    /// <summary>
    /// A first install has no ring record, no previous StatefulSet and no OM volumes an earlier install
    /// left (a reinstall onto kept PVCs: the old ring comes back from them, and an empty volume joins it), and this volume is empty.
    /// </summary>
    public static bool IsFirstInstall(StartFacts f) =>
        f.Version is null
        && (f.Record is null || f.Record.ActualVoters.Count == 0)
        && f.Doc.PreviousReplicas is null or 0
        && f.Doc.RetainedVolumes == 0;

    /// <summary>A member lists every desired node plus voters still leaving, minus removed ones.</summary>
    private static IReadOnlyList<OmNode> MemberList(StartFacts f) =>
        ConfigWriter.FullRing(f.Doc, f.Ring, ConfigWriter.Decommissioned(f.Doc, f.Record));
}
