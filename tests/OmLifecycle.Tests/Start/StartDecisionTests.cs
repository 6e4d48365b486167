using OmLifecycle.Kubernetes;
using OmLifecycle.Lifecycle;
using OmLifecycle.Membership;
using OmLifecycle.Ozone;
using OmLifecycle.Tests.Membership;
using OmLifecycle.Volume;

namespace OmLifecycle.Tests.Start;

public sealed class StartDecisionTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_first_install_initialises_every_node_with_all_initial_members()
    {
        var plan = Decide(new MembershipYaml { PreviousReplicas = null }, self: 1, ring: NoRing());

        plan.Action.Should().Be(StartAction.InitialMember);
        plan.NeedsInit.Should().BeTrue();
        plan.ConfigNodes.Select(n => n.Id).Should().Equal("ozone-om-0", "ozone-om-1", "ozone-om-2");
    }

    [Fact]
    public void Without_a_ring_a_node_that_is_not_on_a_first_install_waits_and_says_why()
    {
        var plan = Decide(new MembershipYaml { Replicas = 4, PreviousReplicas = 3 }, self: 3, ring: NoRing());

        plan.Action.Should().Be(StartAction.Wait);
        plan.Reason.Should().Contain("not a first install");
    }

    [Fact]
    public void Without_a_ring_a_record_of_earlier_voters_means_it_is_not_a_first_install()
    {
        var plan = Decide(new MembershipYaml { PreviousReplicas = null }, self: 0, ring: NoRing(),
            record: RingRecord.Empty with { ActualVoters = ["ozone-om-0", "ozone-om-1", "ozone-om-2"] });

        plan.Action.Should().Be(StartAction.Wait);
    }

    [Fact]
    public void On_a_reinstall_onto_kept_volumes_an_empty_volume_waits_for_the_old_ring_instead_of_starting_a_new_one()
    {
        // helm uninstall kept data-ozone-om-0..2; the reinstall asks for 5, so ozone-om-3 starts empty before the old members lead.
        var plan = Decide(new MembershipYaml { Replicas = 5, PreviousReplicas = null, RetainedVolumes = 3 }, self: 3, ring: NoRing());

        plan.Action.Should().Be(StartAction.Wait);
        plan.Reason.Should().Contain("not a first install");
    }

    [Fact]
    public void On_a_reinstall_onto_kept_volumes_an_empty_volume_joins_the_old_ring_once_it_leads()
    {
        var plan = Decide(new MembershipYaml { Replicas = 4, PreviousReplicas = null, RetainedVolumes = 3 }, self: 3, ring: Ring("ozone-om-0", "ozone-om-0", "ozone-om-1", "ozone-om-2"));

        plan.Action.Should().Be(StartAction.Bootstrap);
    }

    [Fact]
    public void A_node_with_its_marker_starts_as_a_member_even_without_a_ring()
    {
        var plan = Decide(new MembershipYaml(), self: 2, ring: NoRing(), marker: Marker("ozone-om-2"), version: Version("ozone-om-2"));

        plan.Action.Should().Be(StartAction.Member);
        plan.NeedsInit.Should().BeFalse();
        plan.NeedsMarker.Should().BeFalse();
    }

    [Fact]
    public void A_joiner_bootstraps_with_the_confirmed_members_plus_itself_and_never_later_joiners()
    {
        var plan = Decide(new MembershipYaml { Replicas = 6, PreviousReplicas = 3 }, self: 3, ring: Ring("ozone-om-0", "ozone-om-0", "ozone-om-1", "ozone-om-2"));

        plan.Action.Should().Be(StartAction.Bootstrap);
        plan.ConfigNodes.Select(n => n.Id).Should().Equal("ozone-om-0", "ozone-om-1", "ozone-om-2", "ozone-om-3");
    }

    [Fact]
    public void Joiner_waits_for_lower_ordinal_joiners()
    {
        var plan = Decide(new MembershipYaml { Replicas = 6, PreviousReplicas = 3 }, self: 5, ring: Ring("ozone-om-0", "ozone-om-0", "ozone-om-1", "ozone-om-2", "ozone-om-3"));

        plan.Action.Should().Be(StartAction.Wait);
        plan.Reason.Should().Contain("ozone-om-4");
    }

    [Fact]
    public void A_voter_whose_marker_was_not_written_yet_is_a_member_that_needs_its_marker()
    {
        var plan = Decide(new MembershipYaml { Replicas = 4 }, self: 3, ring: Ring("ozone-om-0", "ozone-om-0", "ozone-om-1", "ozone-om-2", "ozone-om-3"),
            version: Version("ozone-om-3"));

        plan.Action.Should().Be(StartAction.Member);
        plan.NeedsMarker.Should().BeTrue();
        plan.NeedsInit.Should().BeFalse();
    }

    [Fact]
    public void A_killed_bootstrap_that_left_VERSION_but_no_marker_is_resolved_by_the_ring_and_bootstraps_again()
    {
        var plan = Decide(new MembershipYaml { Replicas = 4 }, self: 3, ring: Ring("ozone-om-1", "ozone-om-0", "ozone-om-1", "ozone-om-2"), version: Version("ozone-om-3"));

        plan.Action.Should().Be(StartAction.Bootstrap);
    }

    [Fact]
    public void A_volume_whose_VERSION_names_another_node_is_refused()
    {
        var plan = Decide(new MembershipYaml(), self: 1, ring: Ring("ozone-om-0", "ozone-om-0", "ozone-om-1", "ozone-om-2"), version: Version("ozone-om-2"));

        plan.Action.Should().Be(StartAction.Refuse);
        plan.Reason.Should().Contain("belongs to OM 'ozone-om-2'");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_VERSION_of_another_cluster_than_the_marker_is_refused_whatever_the_ring_says(bool leaderListsIt)
    {
        // `ozone om --init` exits 0 on a VERSION it did not write (OzoneManager.omInit): om-lifecycle must check it itself.
        var ring = leaderListsIt ? Ring("ozone-om-0", "ozone-om-0", "ozone-om-1", "ozone-om-2") : NoRing();

        var plan = Decide(new MembershipYaml(), self: 1, ring, marker: Marker("ozone-om-1"), version: new OmVersionFile("ozone-om-1", "CID-other", "OM"));

        plan.Action.Should().Be(StartAction.Refuse);
        plan.Reason.Should().Contain("cluster 'CID-other'").And.Contain("'CID-1'").And.Contain("wipe");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_volume_with_OM_data_but_no_VERSION_and_no_marker_is_refused_not_initialised(bool leaderListsIt)
    {
        var ring = leaderListsIt ? Ring("ozone-om-0", "ozone-om-0", "ozone-om-1", "ozone-om-2") : NoRing();
        var doc = new MembershipYaml().Parse();
        var at = new OmDataLocations(doc.MetadataDir, null, "/data/om-ratis", null);

        var plan = StartDecision.Decide(new StartFacts(doc, doc.NodeAt(1), null, null, ring, null, KubernetesAvailable: true, Locations: at, HoldsOmData: true));

        plan.Action.Should().Be(StartAction.Refuse);
        plan.Reason.Should().Contain("ozone.om.ratis.storage.dir /data/om-ratis").And.Contain("wipe");
    }

    [Fact]
    public void A_marker_of_another_ring_is_refused()
    {
        var plan = Decide(new MembershipYaml(), self: 1, ring: NoRing(), marker: Marker("ozone-om-1", service: "other"), version: Version("ozone-om-1"));

        plan.Action.Should().Be(StartAction.Refuse);
        plan.Reason.Should().Contain("ring 'other'");
    }

    [Fact]
    public void A_marker_the_ring_does_not_confirm_is_refused_unless_the_record_says_the_node_was_decommissioned()
    {
        var ring = Ring("ozone-om-0", "ozone-om-0", "ozone-om-1", "ozone-om-2");
        var yaml = new MembershipYaml { Replicas = 4 };

        Decide(yaml, self: 3, ring, marker: Marker("ozone-om-3"), version: Version("ozone-om-3")).Action.Should().Be(StartAction.Refuse);
        Decide(yaml, self: 3, ring, marker: Marker("ozone-om-3"), version: Version("ozone-om-3"),
            record: RingRecord.Empty.WithDecommissioned("ozone-om-3")).Action.Should().Be(StartAction.WipeStale);
    }

    [Fact]
    public void A_decommissioned_node_with_its_old_marker_waits_for_a_leader_instead_of_starting_as_a_member()
    {
        // An Argo CD shrink leaves the volume (no wipe Job); when the node comes back and no leader
        // answers for a moment, its old marker must not make it a member of a ring that removed it.
        var plan = Decide(new MembershipYaml { Replicas = 4 }, self: 3, NoRing(), marker: Marker("ozone-om-3"), version: Version("ozone-om-3"),
            record: RingRecord.Empty.WithDecommissioned("ozone-om-3") with { ActualVoters = ["ozone-om-0", "ozone-om-1", "ozone-om-2"] });

        plan.Action.Should().Be(StartAction.Wait);
        plan.Reason.Should().Contain("decommissioned");
    }

    [Fact]
    public void A_pod_beyond_the_desired_size_that_is_no_voter_is_refused()
    {
        var plan = Decide(new MembershipYaml { Replicas = 3 }, self: 4, ring: Ring("ozone-om-0", "ozone-om-0", "ozone-om-1", "ozone-om-2"));

        plan.Action.Should().Be(StartAction.Refuse);
        plan.Reason.Should().Contain("not among the 3 desired OMs");
    }

    [Fact]
    public void A_leaving_voter_that_restarts_keeps_running_as_a_member_until_scale_in_removes_it()
    {
        var plan = Decide(new MembershipYaml { Replicas = 3, PreviousReplicas = 5 }, self: 4, ring: Ring("ozone-om-0", "ozone-om-0", "ozone-om-1", "ozone-om-2", "ozone-om-3", "ozone-om-4"),
            marker: Marker("ozone-om-4"), version: Version("ozone-om-4"));

        plan.Action.Should().Be(StartAction.Member);
        plan.ConfigNodes.Select(n => n.Id).Should().Contain("ozone-om-4");
    }

    [Fact]
    public void A_member_lists_recorded_decommissioned_nodes_out_of_its_ring_even_while_its_document_still_wants_them()
    {
        var record = RingRecord.Empty.WithDecommissioned("ozone-om-4");
        var plan = Decide(new MembershipYaml { Replicas = 5, PreviousReplicas = 5 }, self: 0, ring: Ring("ozone-om-0", "ozone-om-0", "ozone-om-1", "ozone-om-2", "ozone-om-3", "ozone-om-4"),
            marker: Marker("ozone-om-0"), version: Version("ozone-om-0"), record: record);

        plan.ConfigNodes.Select(n => n.Id).Should().Equal("ozone-om-0", "ozone-om-1", "ozone-om-2", "ozone-om-3");
        ConfigWriter.Decommissioned(new MembershipYaml { Replicas = 5 }.Parse(), record).Select(n => n.Id).Should().Equal("ozone-om-4");
        ConfigWriter.Decommissioned(new MembershipYaml { Replicas = 5 }.Parse(), record.WithoutDecommissioned(["ozone-om-4"])).Should().BeEmpty();
    }

    // Ratis' LeaderStateImpl lists a staging (catching-up) peer in the leader's Followers before the add
    // commits: a joiner killed before it was confirmed is listed but may not be a voter.
    [Fact]
    public void A_listed_node_whose_bootstrap_was_never_confirmed_bootstraps_again_instead_of_starting_as_a_member()
    {
        var plan = Decide(new MembershipYaml { Replicas = 4, PreviousReplicas = 3 }, self: 3, ring: Ring("ozone-om-0", "ozone-om-0", "ozone-om-1", "ozone-om-2", "ozone-om-3"),
            version: Version("ozone-om-3"), bootstrapUnconfirmed: true);

        plan.Action.Should().Be(StartAction.Bootstrap);
        plan.Reason.Should().Contain("never confirmed");
        plan.ConfigNodes.Select(n => n.Id).Should().Equal("ozone-om-0", "ozone-om-1", "ozone-om-2", "ozone-om-3");
    }

    [Fact]
    public void A_listed_node_that_never_ran_a_bootstrap_still_starts_as_a_member()
    {
        var plan = Decide(new MembershipYaml { Replicas = 3 }, self: 2, ring: Ring("ozone-om-0", "ozone-om-0", "ozone-om-1", "ozone-om-2"), version: Version("ozone-om-2"));

        plan.Action.Should().Be(StartAction.Member);
    }

    // Ozone's docs recover an OM whose disk was lost with `ozone om --bootstrap` and the same node id
    // (ozone-facts.md): an empty volume has no Raft log and no vote record, so it never starts as a plain member.
    [Fact]
    public void A_voter_whose_volume_came_back_empty_bootstraps_again_with_its_own_id_while_the_others_keep_a_majority()
    {
        var plan = Decide(new MembershipYaml { Replicas = 3 }, self: 2, ring: Ring("ozone-om-0", down: ["ozone-om-2"], "ozone-om-0", "ozone-om-1", "ozone-om-2"),
            record: RingRecord.Empty with { ActualVoters = ["ozone-om-0", "ozone-om-1", "ozone-om-2"] });

        plan.Action.Should().Be(StartAction.Bootstrap);
        plan.Reason.Should().Contain("volume is empty").And.Contain("same node id");
        plan.ConfigNodes.Select(n => n.Id).Should().Equal("ozone-om-0", "ozone-om-1", "ozone-om-2");
        plan.NeedsMarker.Should().BeTrue();
    }

    [Fact]
    public void A_voter_whose_volume_came_back_empty_waits_when_the_others_are_no_majority_without_it()
    {
        // Five voters; 4 lost its disk and only 0 and 1 answer without it (a view taken while 2 and 3 stop).
        var plan = Decide(new MembershipYaml { Replicas = 5 }, self: 4, ring: Ring("ozone-om-0", down: ["ozone-om-2", "ozone-om-3", "ozone-om-4"], "ozone-om-0", "ozone-om-1", "ozone-om-2", "ozone-om-3", "ozone-om-4"));

        plan.Action.Should().Be(StartAction.Wait);
        plan.Reason.Should().Contain("not a majority").And.Contain("2 of the 5");
    }

    [Fact]
    public void A_recorded_voter_whose_volume_came_back_empty_waits_for_a_confirmed_leader_and_says_so()
    {
        var plan = Decide(new MembershipYaml { Replicas = 3 }, self: 2, ring: RingView.Empty with { LeaderProblem = "ozone-om-0 says it leads at term 4, but only ozone-om-0 of its 3 voters confirm it" },
            record: RingRecord.Empty with { ActualVoters = ["ozone-om-0", "ozone-om-1", "ozone-om-2"] });

        plan.Action.Should().Be(StartAction.Wait);
        plan.Reason.Should().Contain("came back empty").And.Contain("only ozone-om-0 of its 3 voters");
    }

    private static StartPlan Decide(MembershipYaml yaml, int self, RingView ring, BootstrapMarker? marker = null, OmVersionFile? version = null, RingRecord? record = null, bool bootstrapUnconfirmed = false)
    {
        var doc = yaml.Parse();
        return StartDecision.Decide(new StartFacts(doc, doc.NodeAt(self), marker, version, ring, record, KubernetesAvailable: true, bootstrapUnconfirmed));
    }

    private static RingView NoRing() => RingView.Empty;

    private static RingView Ring(string leader, params string[] voters) => Ring(leader, [], voters);

    private static RingView Ring(string leader, string[] down, params string[] voters)
    {
        var probes = voters.ToDictionary(v => v, v => down.Contains(v)
            ? new NodeProbe(v, null, "connection refused")
            : new NodeProbe(v, new RaftServerState(v, leader, 1, "group-1", v == leader ? "LEADER" : "FOLLOWER", []), null));
        return new RingView(leader, voters, probes, "group-1");
    }

    private static BootstrapMarker Marker(string node, string service = "ozone") => new(node, service, "CID-1", Now, "init");

    private static OmVersionFile Version(string node) => new(node, "CID-1", "OM");
}
