using OmLifecycle.Ozone;

namespace OmLifecycle.Lifecycle;

/// <summary>
/// What an exited or stuck `ozone om` means for `start`, read from its stderr (OzoneStderr), never
/// from the exit code alone: exit 1 is the bootstrap pre-check, but also dbInconsistentMarker, a
/// failed snapshot install and the launcher's unwritable dirs (OzoneManagerStarter, OzoneManager,
/// ozone-functions.sh; the stderr lines are in tests/fixtures/ozone/stderr).
/// </summary>
public static class OmExit
{
    /// <summary>
    /// A bootstrap worth running again from `start` itself, within timeouts.bootstrap: the pre-check
    /// (exit 1; the peers' files may list the joiner soon), or a leader that refused the add for now
    /// ("Failed to Bootstrap OM", e.g. Ratis' ReconfigurationInProgressException while another joiner
    /// is being caught up). Not "no leader", which Ozone already retried for minutes, and nothing else.
    /// </summary>
    public static bool IsWorthAnotherBootstrap(int code, string stderr) => OzoneStderr.Classify(stderr).Kind switch
    {
        OzoneFailureKind.BootstrapPreCheck => code == 1,
        OzoneFailureKind.BootstrapRefused => code != 0,
        _ => false,
    };

    /// <summary>One sentence for the log and the pod's last words: what Ozone said and what to do.</summary>
    public static string Explain(string nodeId, int code, string stderr)
    {
        var failure = OzoneStderr.Classify(stderr);
        var said = failure.Line.Length == 0 ? "nothing on stderr" : $"'{failure.Line}'";
        var advice = failure.Kind switch
        {
            OzoneFailureKind.BootstrapPreCheck => "a member's ozone-site.xml does not list this node yet; the bootstrap is tried again.",
            OzoneFailureKind.NoLeader => "the ring has no leader, so nothing can join; start a majority of the members and check 'om-lifecycle status'.",
            OzoneFailureKind.BootstrapRefused => "the leader refused the bootstrap for now (often another configuration change in progress); the bootstrap is tried again.",
            OzoneFailureKind.DbInconsistent => "an interrupted checkpoint install left dbInconsistentMarker in the data dir; the OM will not start until it is recovered (Ozone's docs), this is no pre-check failure and is not retried as one.",
            OzoneFailureKind.SnapshotInstall => "installing the leader's snapshot failed; check the volume's free space (at least twice the OM DB) and the OM log.",
            OzoneFailureKind.VersionOfAnotherNode => "the volume's VERSION belongs to another node id: give this pod its own volume.",
            OzoneFailureKind.VersionOfAnotherCluster => "the volume holds the OM data of another cluster than the one SCM serves (a volume kept from an earlier install, or SCM's volumes were replaced), and Ozone will not start on it. To keep that data, bring back that cluster's SCM volumes; to start a new cluster instead, delete the release's old volumes, OMs' and datanodes' alike (docs/troubleshooting.md, 'SCM version info mismatch').",
            OzoneFailureKind.NotInitialized => "the volume has no VERSION; 'ozone om --init' did not run or wrote elsewhere (check ozone.metadata.dirs).",
            OzoneFailureKind.InitFailed => "'ozone om --init' failed; check that SCM is reachable and the volume is writable.",
            OzoneFailureKind.LauncherCannotWrite => "the ozone launcher cannot write its log or pid dir; put OZONE_LOG_DIR and OZONE_PID_DIR on a writable mount.",
            OzoneFailureKind.EnvToConfFailed => "the image's envtoconf could not write a config file; OZONE_CONF_DIR must be writable.",
            _ => "see the lines above in the container log.",
        };
        return $"{nodeId}: 'ozone om' exited {code} ({failure.Kind}): Ozone said {said}; {advice}";
    }

    /// <summary>
    /// A bootstrap that was not confirmed in time. Without a leader Ozone's bootstrap keeps failing
    /// over (ozone.client.failover.max.attempts, 500 by default) for many minutes: that is "no
    /// leader", not the HDDS-16057 loop, which needs a leader that purged its log.
    /// </summary>
    public static string StuckBootstrap(string nodeId, RingView view, TimeSpan timeout) =>
        view.HasLeader
            ? $"{nodeId} started '--bootstrap' but the change that adds it did not commit within timeouts.bootstrap ({timeout.TotalSeconds:0} s): the leader's peer map ('ozone admin om roles') never listed it ({(view.IsVoter(nodeId) ? $"leader {view.LeaderId} lists it in its Ratis Followers, still catching up" : $"leader {view.LeaderId} does not list it")}). The bootstrap is stuck (see HDDS-16057 in Ozone 2.2.x; from Ozone 2.3 also an OM volume with less free space than the leader's checkpoint needs, ozone.om.bootstrap.min.space); stopping it so that the pod restarts and tries again."
            : $"{nodeId} started '--bootstrap' but the ring had no leader for it to join within timeouts.bootstrap ({timeout.TotalSeconds:0} s): no leader answers, so Ozone's bootstrap keeps failing over. Start a majority of the members (check 'om-lifecycle status'); stopping the bootstrap so that the pod restarts and tries again.";
}
