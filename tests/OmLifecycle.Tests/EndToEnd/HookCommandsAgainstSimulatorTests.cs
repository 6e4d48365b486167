using System.Text.Json.Nodes;
using FakeKubeApi;
using OmLifecycle.Tests.Cli;

namespace OmLifecycle.Tests.EndToEnd;

/// <summary>The real binary's hook commands against the Ozone simulator and a loopback Kubernetes API.</summary>
public sealed class HookCommandsAgainstSimulatorTests : IAsyncLifetime
{
    private readonly SimulatedRing ring = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await ring.DisposeAsync();

    [Theory]
    [InlineData(6, 3)]
    [InlineData(7, 3)]
    public async Task Scale_in_removes_nodes_one_at_a_time_highest_first_and_never_loses_quorum(int from, int to)
    {
        await ring.InstallAsync(from);
        var watch = ring.WatchQuorum();

        var result = await OmLifecycleBinary.RunAsync(ring.HookEnv(ring.Membership(to, from)), "scale-in", "--replicas", to.ToString());

        await watch.DisposeAsync();
        result.ExitCode.Should().Be(0, result.Stderr);
        ring.Ring().Voters.Should().Equal(Enumerable.Range(0, to).Select(i => $"ozone-om-{i}"));
        watch.Samples.Should().BeGreaterThan(10);
        watch.Losses.Should().BeEmpty("a majority of the current configuration runs at every moment");
        var record = RingRecord();
        record["pendingWipe"]!.GetValue<string>().Split(',').Should().Equal(Enumerable.Range(to, from - to).Reverse().Select(i => $"ozone-om-{i}"));
        Decommissions().Should().Equal(Enumerable.Range(to, from - to).Reverse().Select(i => $"ozone-om-{i}"), "highest ordinal first, one at a time");
        StatefulSetReplicas().Should().Be(to);
        HelmCanApplyAnotherSize();
        EventMessages("OMDecommissioned").Select(m => m.Split(' ')[0]).Should().Equal(Enumerable.Range(to, from - to).Reverse().Select(i => $"ozone-om-{i}"),
            "each removal is reported on the StatefulSet, in order");
    }

    // Ozone's decommission check resolves the leaving node's name (DecommissionOMSubcommand), and
    // cluster DNS caches a miss: kubeadm's Corefile (`kubernetes … { ttl 30 }`, `cache 30`) keeps an
    // NXDOMAIN up to 30 s, so one lookup by anyone in a moment when neither the pod nor the stand-in
    // names the node makes every decommission in the next 30 s fail. The cluster twin found it: an OM's
    // start loop probed the node between its pod going and its stand-in slice appearing. So the
    // stand-in must exist before the pod is deleted, and stay until the node has left.
    [Fact]
    public async Task Scale_in_keeps_a_leaving_nodes_name_published_from_before_its_pod_goes_until_it_has_left()
    {
        await ring.InstallAsync(5);
        var events = new List<string>();
        ring.Kube!.Store.Changed += (resource, _, name, obj) =>
        {
            if (resource.Kind is "Pod" && obj is null) lock (events) events.Add($"pod-deleted {name}");
            if (resource.Kind is "EndpointSlice") lock (events) events.Add($"{(obj is null ? "standin-deleted" : "standin-written")} {name.Replace("-stand-in", "")}");
        };

        var result = await OmLifecycleBinary.RunAsync(ring.HookEnv(ring.Membership(3, 5)), "scale-in", "--replicas", "3");

        result.ExitCode.Should().Be(0, result.Stderr);
        List<string> seen;
        lock (events) seen = [.. events];
        foreach (var node in new[] { "ozone-om-4", "ozone-om-3" })
        {
            var standIn = seen.IndexOf($"standin-written {node}");
            standIn.Should().BeGreaterThanOrEqualTo(0, $"{node} needs a stand-in for Ozone's check; events: {string.Join(", ", seen)}");
            standIn.Should().BeLessThan(seen.IndexOf($"pod-deleted {node}"), $"{node}'s name must resolve at every moment; events: {string.Join(", ", seen)}");
            seen.IndexOf($"standin-deleted {node}").Should().BeGreaterThan(seen.IndexOf($"pod-deleted {node}"));
        }
        Decommissions().Should().Equal("ozone-om-4", "ozone-om-3");
    }

    [Fact]
    public async Task Scale_in_still_finishes_when_RBAC_forbids_releasing_spec_replicas_and_says_what_Helm_4_may_need()
    {
        await ring.InstallAsync(4);
        ring.Kube!.Forbid = request => request == "PATCH /apis/apps/v1/namespaces/default/statefulsets/ozone-om";

        var result = await OmLifecycleBinary.RunAsync(ring.HookEnv(ring.Membership(3, 4)), "scale-in", "--replicas", "3");

        result.ExitCode.Should().Be(0, result.Stderr);
        ring.Ring().Voters.Should().Equal("ozone-om-0", "ozone-om-1", "ozone-om-2");
        result.Stderr.Should().Contain("could not release spec.replicas").And.Contain("--force-conflicts");
        ReplicaOwnership.Owners(ring.Kube.Store.Get(ApiResource.ByKind("apps/v1", "StatefulSet")!, "default", "ozone-om")!)
            .Should().Contain("om-lifecycle (Update, scale)", "the release was refused, so the field stays ours");
    }

    [Fact]
    public async Task The_naive_order_stop_all_then_decommission_loses_quorum_in_the_simulator()
    {
        await ring.InstallAsync(7);

        for (var i = 6; i >= 3; i--) await ring.StopPodAsync(i);
        var stuck = ring.Ring();
        var decommission = await OmLifecycleBinary.RunAsync(ring.HookEnv(ring.Membership(3, 7)), "decommission", "--node", "ozone-om-6");

        stuck.Leader.Should().BeNull("three of seven voters cannot elect a leader");
        decommission.ExitCode.Should().NotBe(0);
        ring.Ring().Voters.Should().HaveCount(7, "no configuration change can be committed without a majority");
    }

    // Joint consensus: {0,1,2} with 1 down cannot drop 2 ({0,1} would have one of two alive).
    [Fact]
    public async Task Scale_in_refuses_a_removal_the_new_configuration_could_not_commit_and_changes_nothing()
    {
        await ring.InstallAsync(3);
        await ring.StopPodAsync(1, hard: true);
        await ring.WaitUntilAsync(r => !r.Running.ContainsKey("ozone-om-1") && r.Leader is not null, "ozone-om-1 down, a leader among the others");

        var result = await OmLifecycleBinary.RunAsync(ring.HookEnv(ring.Membership(2, 3)), "scale-in", "--replicas", "2");

        result.ExitCode.Should().Be(1, result.Stderr);
        result.Stderr.Should().Contain("no majority of the new configuration").And.Contain("ozone-om-1");
        ring.Ring().Voters.Should().HaveCount(3);
        ring.Ring().PendingRemoval.Should().BeNull("nothing was asked of Ozone");
        ring.Ring().Leader.Should().NotBeNull();
        ring.Ring().Running.Should().ContainKey("ozone-om-2", "a refused removal stops no pod");
    }

    [Fact]
    public async Task Scale_in_moves_leadership_off_a_leaving_leader_first()
    {
        await ring.InstallAsync(5);
        (await OmLifecycleBinary.RunAsync(ring.HookEnv(ring.Membership(5, 5)), "transfer-leader", "--to", "ozone-om-4")).ExitCode.Should().Be(0);
        ring.Ring().Leader.Should().Be("ozone-om-4");

        var result = await OmLifecycleBinary.RunAsync(ring.HookEnv(ring.Membership(3, 5)), "scale-in", "--replicas", "3");

        result.ExitCode.Should().Be(0, result.Stderr);
        ring.Ring().Leader.Should().Be("ozone-om-0");
        ring.Ring().Voters.Should().Equal("ozone-om-0", "ozone-om-1", "ozone-om-2");
    }

    // DecommissionOMSubcommand (2.0-2.2): every active node of the CLIENT's config is asked, running or
    // not, so the hook's client config lists only running voters (issue 8, point 4).
    [Fact]
    public async Task Scale_in_with_a_staying_follower_down_asks_only_the_running_voters()
    {
        await ring.InstallAsync(5);
        var pinned = await OmLifecycleBinary.RunAsync(ring.HookEnv(ring.Membership(5, 5)), "transfer-leader", "--to", "ozone-om-0");
        pinned.ExitCode.Should().Be(0, pinned.Stderr);
        await ring.StopPodAsync(1, hard: true);
        await ring.WaitUntilAsync(r => !r.Running.ContainsKey("ozone-om-1") && r.Leader == "ozone-om-0", "ozone-om-1 down, ozone-om-0 still leading");

        var result = await OmLifecycleBinary.RunAsync(ring.HookEnv(ring.Membership(4, 5)), "scale-in", "--replicas", "4");

        result.ExitCode.Should().Be(0, result.Stderr);
        ring.Ring().Voters.Should().Equal("ozone-om-0", "ozone-om-1", "ozone-om-2", "ozone-om-3");
        Decommissions().Should().Equal(["ozone-om-4"], "the first decommission already succeeds");
    }

    // OzoneManager's in-memory peer map: an OM that restarted after ozone-om-3 was listed as
    // decommissioned does not know it, and as leader it refuses the decommission (issue 8, point 4).
    [Fact]
    public async Task Scale_in_moves_leadership_off_a_leader_whose_peer_map_lacks_the_leaving_node()
    {
        await ring.InstallAsync(4);
        var record = ring.Kube!.Store.Get(ApiResource.ByKind("v1", "ConfigMap")!, "default", "ozone-om-ring")
            ?? new JsonObject { ["apiVersion"] = "v1", ["kind"] = "ConfigMap", ["metadata"] = new JsonObject { ["name"] = "ozone-om-ring", ["namespace"] = "default" } };
        if (record["data"] is not JsonObject data) record["data"] = data = new JsonObject();
        data["decommissioned"] = "ozone-om-3";
        ring.Kube.Store.Put(ApiResource.ByKind("v1", "ConfigMap")!, "default", record);
        await ring.WaitUntilAsync(_ => Enumerable.Range(0, 3).All(i => File.ReadAllText(Path.Combine(ring.NodeDir(i), "conf", "ozone-site.xml")).Contains("ozone.om.decommissioned.nodes")),
            "the members' files list ozone-om-3 as decommissioned");
        await ring.StopPodAsync(1);
        ring.StartPod(1);
        await ring.WaitUntilAsync(r => r.Running.ContainsKey("ozone-om-1") && r.Leader is not null, "ozone-om-1 restarted");
        var pinned = await OmLifecycleBinary.RunAsync(ring.HookEnv(ring.Membership(4, 4)), "transfer-leader", "--to", "ozone-om-1");
        pinned.ExitCode.Should().Be(0, pinned.Stderr);

        var result = await OmLifecycleBinary.RunAsync(ring.HookEnv(ring.Membership(3, 4)), "scale-in", "--replicas", "3");

        result.ExitCode.Should().Be(0, result.Stderr);
        result.Stdout.Should().Contain("The leader ozone-om-1 does not know ozone-om-3");
        ring.Ring().Voters.Should().Equal("ozone-om-0", "ozone-om-1", "ozone-om-2");
        ring.Ring().Leader.Should().Be("ozone-om-0", "the lowest staying voter that started before the listing took over");
    }

    // A joiner whose add never committed (Ratis staging: ratis-server LeaderStateImpl) is among the
    // leader's Followers but not in any peer map, like a voter every leader forgot. Stopped, it is
    // dropped by Ratis within the staging timeout; moving leadership around would only add elections.
    [Fact]
    public async Task Scale_in_lets_Ratis_drop_a_stopped_joiner_that_never_finished_instead_of_moving_leadership()
    {
        await ring.InstallAsync(4);
        ring.SetFaults(f => f.StallBootstrap.Add("ozone-om-4"));
        var sts = ring.Kube!.Store.Get(ApiResource.ByKind("apps/v1", "StatefulSet")!, "default", "ozone-om")!;
        sts["spec"]!["replicas"] = 5;
        ring.Kube.Store.Put(ApiResource.ByKind("apps/v1", "StatefulSet")!, "default", sts);
        for (var i = 0; i < 5; i++) ring.WriteMembership(i, ring.Membership(5, 4));
        ring.StartPod(4);
        await ring.WaitUntilAsync(r => r.PendingJoiners.Contains("ozone-om-4"), "ozone-om-4 is being caught up to join");
        var changes = ring.Ring().LeaderChanges;

        var result = await OmLifecycleBinary.RunAsync(ring.HookEnv(ring.Membership(4, 5)), "scale-in", "--replicas", "4");

        result.ExitCode.Should().Be(0, result.Stderr);
        result.Stdout.Should().NotContain("does not know ozone-om-4");
        System.Text.RegularExpressions.Regex.Count(result.Stderr, "\"scale-in\\.staging\"").Should().BeLessThanOrEqualTo(1, "the wait is logged once, not at every poll");
        ring.Ring().LeaderChanges.Should().Be(changes, "no leadership moved for a node that never joined");
        ring.Ring().Voters.Should().Equal("ozone-om-0", "ozone-om-1", "ozone-om-2", "ozone-om-3");
        ring.Ring().PendingJoiners.Should().BeEmpty();
        StatefulSetReplicas().Should().Be(4);
        RingRecord()["pendingWipe"]!.GetValue<string>().Should().Be("ozone-om-4", "its half-copied volume is wiped before any regrow");
    }

    [Fact]
    public async Task Transfer_leader_goes_to_the_lowest_staying_ordinal_and_is_a_no_op_when_it_already_leads()
    {
        await ring.InstallAsync(3);
        (await OmLifecycleBinary.RunAsync(ring.HookEnv(ring.Membership(3, 3)), "transfer-leader", "--to", "ozone-om-2")).ExitCode.Should().Be(0);
        var changes = ring.Ring().LeaderChanges;

        var first = await OmLifecycleBinary.RunAsync(ring.HookEnv(ring.Membership(3, 3)), "transfer-leader");
        var again = await OmLifecycleBinary.RunAsync(ring.HookEnv(ring.Membership(3, 3)), "transfer-leader");

        first.ExitCode.Should().Be(0, first.Stderr);
        again.ExitCode.Should().Be(0);
        again.Stdout.Should().Contain("already leads");
        ring.Ring().Leader.Should().Be("ozone-om-0");
        ring.Ring().LeaderChanges.Should().Be(changes + 1);
    }

    [Fact]
    public async Task The_hook_form_leaves_leadership_alone_when_nothing_leaves_and_moves_it_when_something_does()
    {
        await ring.InstallAsync(4);
        (await OmLifecycleBinary.RunAsync(ring.HookEnv(ring.Membership(4, 4)), "transfer-leader", "--to", "ozone-om-2")).ExitCode.Should().Be(0);
        var changes = ring.Ring().LeaderChanges;

        var growing = await OmLifecycleBinary.RunAsync(ring.HookEnv(ring.Membership(5, 4)), "transfer-leader", "--replicas", "5", "--if-nodes-leave");

        growing.ExitCode.Should().Be(0, growing.Stderr);
        growing.Stdout.Should().Contain("leadership stays with ozone-om-2");
        ring.Ring().Leader.Should().Be("ozone-om-2");
        ring.Ring().LeaderChanges.Should().Be(changes);

        // Only followers leave: no failover (issue 8, point 9).
        var followersLeave = await OmLifecycleBinary.RunAsync(ring.HookEnv(ring.Membership(3, 4)), "transfer-leader", "--replicas", "3", "--if-nodes-leave");

        followersLeave.ExitCode.Should().Be(0, followersLeave.Stderr);
        ring.Ring().Leader.Should().Be("ozone-om-2");
        ring.Ring().LeaderChanges.Should().Be(changes);

        var leaderLeaves = await OmLifecycleBinary.RunAsync(ring.HookEnv(ring.Membership(2, 4)), "transfer-leader", "--replicas", "2", "--if-nodes-leave");

        leaderLeaves.ExitCode.Should().Be(0, leaderLeaves.Stderr);
        ring.Ring().Leader.Should().Be("ozone-om-0");
    }

    [Fact]
    public async Task Hooks_pass_without_a_leader_when_nothing_leaves_and_refuse_when_a_node_would_leave()
    {
        await ring.InstallAsync(3);
        await ring.StopPodAsync(2);
        await ring.StopPodAsync(1);
        ring.Ring().Leader.Should().BeNull("one of three voters cannot elect a leader");

        foreach (var (replicas, why) in new[] { (3, "same size"), (5, "growth") })
        {
            var transfer = await OmLifecycleBinary.RunAsync(ring.HookEnv(ring.Membership(replicas, 3)), "transfer-leader", "--replicas", replicas.ToString(), "--if-nodes-leave");
            var scaleIn = await OmLifecycleBinary.RunAsync(ring.HookEnv(ring.Membership(replicas, 3)), "scale-in", "--replicas", replicas.ToString());

            transfer.ExitCode.Should().Be(0, $"{why}: {transfer.Stderr}");
            transfer.Stdout.Should().Contain("no leader").And.Contain("nothing leaves");
            scaleIn.ExitCode.Should().Be(0, $"{why}: {scaleIn.Stderr}");
            scaleIn.Stdout.Should().Contain("no leader").And.Contain("nothing leaves");
        }

        var shrinkTransfer = await OmLifecycleBinary.RunAsync(ring.HookEnv(ring.Membership(2, 3)), "transfer-leader", "--replicas", "2", "--if-nodes-leave");
        var shrinkScaleIn = await OmLifecycleBinary.RunAsync(ring.HookEnv(ring.Membership(2, 3)), "scale-in", "--replicas", "2");

        shrinkTransfer.ExitCode.Should().NotBe(0, "ozone-om-2 would leave and nobody can move leadership without a leader");
        shrinkTransfer.Stderr.Should().Contain("ozone-om-2");
        shrinkScaleIn.ExitCode.Should().NotBe(0);
        shrinkScaleIn.Stderr.Should().Contain("No OM leader answers").And.Contain("ozone-om-2");
        ring.Ring().Voters.Should().Equal(["ozone-om-0", "ozone-om-1", "ozone-om-2"], "nothing was changed");
    }

    [Fact]
    public async Task Hooks_on_a_first_install_with_no_ring_are_a_clean_no_op()
    {
        ring.AttachKubernetes(0);

        var transfer = await OmLifecycleBinary.RunAsync(ring.HookEnv(ring.Membership(3, null)), "transfer-leader");
        var scaleIn = await OmLifecycleBinary.RunAsync(ring.HookEnv(ring.Membership(3, null)), "scale-in");

        transfer.ExitCode.Should().Be(0, transfer.Stderr);
        transfer.Stdout.Should().Contain("first install");
        scaleIn.ExitCode.Should().Be(0, scaleIn.Stderr);
        scaleIn.Stdout.Should().Contain("first install");
    }

    [Theory]
    [InlineData("ozone-om-1", "one of the 3 desired OMs")]
    [InlineData("ozone-om-9", "not a voter")]
    [InlineData("om-x", "is not an OM of this ring")]
    [InlineData("ozone-om-3;reboot", "is not an OM of this ring")]
    public async Task Decommission_refuses_and_changes_nothing(string node, string message)
    {
        await ring.InstallAsync(4);
        var before = ring.Ring();

        var result = await OmLifecycleBinary.RunAsync(ring.HookEnv(ring.Membership(3, 4)), "decommission", "--node", node);

        result.ExitCode.Should().Be(1);
        result.Stderr.Should().Contain(message);
        ring.Ring().Voters.Should().Equal(before.Voters);
        StatefulSetReplicas().Should().Be(4);
    }

    [Fact]
    public async Task Decommission_refuses_the_leader_and_changes_nothing()
    {
        await ring.InstallAsync(4);
        // Any node may win the first election: going through ozone-om-2 makes the move to ozone-om-3 a real one.
        var through = await OmLifecycleBinary.RunAsync(ring.HookEnv(ring.Membership(4, 4)), "transfer-leader", "--to", "ozone-om-2");
        through.ExitCode.Should().Be(0, through.Stderr);
        var onto = await OmLifecycleBinary.RunAsync(ring.HookEnv(ring.Membership(4, 4)), "transfer-leader", "--to", "ozone-om-3");
        onto.ExitCode.Should().Be(0, onto.Stderr);

        var result = await OmLifecycleBinary.RunAsync(ring.HookEnv(ring.Membership(3, 4)), "decommission", "--node", "ozone-om-3");

        result.ExitCode.Should().Be(1, result.Stderr);
        result.Stderr.Should().Contain("is the leader").And.Contain("transfer-leader");
        ring.Ring().Voters.Should().HaveCount(4);
        ring.Ring().Leader.Should().Be("ozone-om-3");
        StatefulSetReplicas().Should().Be(4);
        EventMessages("OMLeaderMoved").Should().NotBeEmpty().And.Subject.Last().Should().EndWith("to ozone-om-3");
        EventMessages("OMLifecycleRefused").Should().ContainSingle("the refusal is a Warning Event on the StatefulSet too")
            .Which.Should().StartWith("ozone-om-3 is the leader");
    }

    [Fact]
    public async Task Wipe_refuses_a_member_then_wipes_it_once_it_left_and_a_rerun_is_a_no_op()
    {
        await ring.InstallAsync(4);
        var yaml = ring.Membership(3, 4);

        var early = await OmLifecycleBinary.RunAsync(ring.WipeEnv(yaml, 3), "wipe", "--node", "ozone-om-3");
        early.ExitCode.Should().Be(1);
        early.Stderr.Should().Contain("still a voter");
        File.Exists(ring.MarkerPath(3)).Should().BeTrue();

        (await OmLifecycleBinary.RunAsync(ring.HookEnv(ring.Membership(3, 4)), "scale-in")).ExitCode.Should().Be(0);
        var wipe = await OmLifecycleBinary.RunAsync(ring.WipeEnv(ring.Membership(3, 4), 3), "wipe", "--node", "ozone-om-3");
        var again = await OmLifecycleBinary.RunAsync(ring.WipeEnv(ring.Membership(3, 4), 3), "wipe", "--node", "ozone-om-3");

        wipe.ExitCode.Should().Be(0, wipe.Stderr);
        Directory.Exists(Path.Combine(ring.MetadataDir(3), "om")).Should().BeFalse();
        File.Exists(ring.MarkerPath(3)).Should().BeFalse();
        again.ExitCode.Should().Be(0);
        again.Stdout.Should().Contain("nothing to wipe");
        RingRecord()["pendingWipe"]!.GetValue<string>().Should().BeEmpty();
        EventMessages("OMVolumeWiped").Should().ContainSingle("the rerun found nothing to wipe").Which.Should().Contain("ozone-om-3");
        EventMessages("OMLifecycleRefused").Should().ContainSingle().Which.Should().Contain("still a voter");
    }

    [Fact]
    public async Task Wipe_refuses_a_volume_whose_VERSION_names_another_node()
    {
        await ring.InstallAsync(4);
        (await OmLifecycleBinary.RunAsync(ring.HookEnv(ring.Membership(3, 4)), "scale-in")).ExitCode.Should().Be(0);

        var result = await OmLifecycleBinary.RunAsync(ring.WipeEnv(ring.Membership(3, 4), 2), "wipe", "--node", "ozone-om-3");

        result.ExitCode.Should().Be(1);
        result.Stderr.Should().Contain("names OM 'ozone-om-2'");
        File.Exists(ring.MarkerPath(2)).Should().BeTrue();
    }

    [Fact]
    public async Task Wipe_follows_the_OM_data_keys_of_the_ozone_site_xml_the_OM_reads()
    {
        await ring.InstallAsync(4);
        (await OmLifecycleBinary.RunAsync(ring.HookEnv(ring.Membership(3, 4)), "scale-in")).ExitCode.Should().Be(0);
        var volume = Path.GetDirectoryName(ring.MetadataDir(3))!;
        var ratisLog = Path.Combine(volume, "om-ratis", "1c3f5a8d-2e70-3b4c-9d5e-6f708192a3b4", "current", "log_0-10");
        var snapshot = Path.Combine(volume, "om-ratis-snapshot", "om.db-1-10", "CURRENT");
        foreach (var file in new[] { ratisLog, snapshot }) { Directory.CreateDirectory(Path.GetDirectoryName(file)!); File.WriteAllText(file, "x"); }
        var env = ring.WipeEnv(ring.Membership(3, 4), 3);
        WriteSite(env, ("ozone.om.ratis.storage.dir", Path.Combine(volume, "om-ratis")), ("ozone.om.ratis.snapshot.dir", Path.Combine(volume, "om-ratis-snapshot")));

        var wipe = await OmLifecycleBinary.RunAsync(env, "wipe", "--node", "ozone-om-3");

        wipe.ExitCode.Should().Be(0, wipe.Stderr);
        File.Exists(ratisLog).Should().BeFalse("the Ratis log of a removed node would make it start with the old ring's log");
        File.Exists(snapshot).Should().BeFalse();
        Directory.Exists(Path.Combine(volume, "om-ratis")).Should().BeTrue("a configured directory may be a mount point: only its contents go");
        File.Exists(ring.MarkerPath(3)).Should().BeFalse();
    }

    [Fact]
    public async Task Wipe_refuses_an_OM_data_key_outside_the_volume_and_removes_nothing()
    {
        await ring.InstallAsync(4);
        (await OmLifecycleBinary.RunAsync(ring.HookEnv(ring.Membership(3, 4)), "scale-in")).ExitCode.Should().Be(0);
        // ozone-om-2's volume: a member's Ratis log.
        var otherNode = Path.Combine(Path.GetDirectoryName(ring.MetadataDir(2))!, "om-ratis");
        var otherLog = Path.Combine(otherNode, "group", "log_0-10");
        Directory.CreateDirectory(Path.GetDirectoryName(otherLog)!);
        File.WriteAllText(otherLog, "x");
        var env = ring.WipeEnv(ring.Membership(3, 4), 3);
        WriteSite(env, ("ozone.om.ratis.storage.dir", otherNode));

        var wipe = await OmLifecycleBinary.RunAsync(env, "wipe", "--node", "ozone-om-3");

        wipe.ExitCode.Should().Be(1);
        wipe.Stderr.Should().Contain("ozone.om.ratis.storage.dir").And.Contain("outside this OM's volume").And.Contain("Nothing was changed");
        File.Exists(otherLog).Should().BeTrue();
        File.Exists(ring.MarkerPath(3)).Should().BeTrue("nothing is removed when a key is refused");
        Directory.Exists(Path.Combine(ring.MetadataDir(3), "om")).Should().BeTrue();
    }

    /// <summary>The wipe Job's ozone-site.xml, as the image's entrypoint writes it from the users' OZONE-SITE.XML_ variables.</summary>
    private static void WriteSite(Dictionary<string, string?> env, params (string Key, string Value)[] properties) =>
        File.WriteAllText(Path.Combine(env["OZONE_CONF_DIR"]!, "ozone-site.xml"),
            "<configuration>" + string.Concat(properties.Select(p => $"<property><name>{p.Key}</name><value>{p.Value}</value></property>")) + "</configuration>");

    [Theory]
    [InlineData("recording")]
    [InlineData("stopping")]
    [InlineData("stopped")]
    [InlineData("decommissioning")]
    [InlineData("decommissioned")]
    public async Task Scale_in_killed_at_a_step_and_run_again_reaches_the_same_end_state(string step)
    {
        await ring.InstallAsync(5);
        var env = ring.HookEnv(ring.Membership(3, 5));
        var info = OmLifecycleBinary.StartInfo("scale-in");
        foreach (var (k, v) in env) info.Environment[k] = v;
        using var first = System.Diagnostics.Process.Start(info)!;
        _ = first.StandardOutput.ReadToEndAsync();
        _ = first.StandardError.ReadToEndAsync();
        await ring.WaitUntilAsync(_ => (RingRecordOrNull()?["operation"]?.GetValue<string>() ?? "").Contains($"\"step\":\"{step}\""), $"scale-in at step {step}");
        first.Kill();
        await first.WaitForExitAsync();

        var rerun = await OmLifecycleBinary.RunAsync(env, "scale-in");

        rerun.ExitCode.Should().Be(0, rerun.Stderr);
        ring.Ring().Voters.Should().Equal("ozone-om-0", "ozone-om-1", "ozone-om-2");
        ring.Ring().Leader.Should().NotBeNull();
        RingRecord()["pendingWipe"]!.GetValue<string>().Split(',').Should().BeEquivalentTo("ozone-om-4", "ozone-om-3");
        HelmCanApplyAnotherSize();
    }

    // Helm stops waiting for a hook after --timeout while the Job runs on; a rerun's before-hook-creation
    // deletes the old Job in the background (Helm 3.18 pkg/action/hooks.go), so two scale-ins can overlap.
    [Fact]
    public async Task Two_scale_ins_started_together_remove_each_node_once_one_after_the_other()
    {
        await ring.InstallAsync(7);
        var watch = ring.WatchQuorum();
        var envs = new[] { "ozone-om-scale-in-aaaaa", "ozone-om-scale-in-bbbbb" }.Select(pod =>
        {
            AddRunningPod(pod);
            var env = ring.HookEnv(ring.Membership(3, 7));
            env["POD_NAME"] = pod;
            return env;
        }).ToList();

        var results = await Task.WhenAll(envs.Select(env => OmLifecycleBinary.RunAsync(env, "scale-in", "--replicas", "3")));

        await watch.DisposeAsync();
        results.Should().AllSatisfy(r => r.ExitCode.Should().Be(0, r.Stderr));
        results.Count(r => r.Stdout.Contains("Another scale-in is running in pod ozone-om-scale-in-")).Should().Be(1, "the second one waits for the first");
        ring.Ring().Voters.Should().Equal("ozone-om-0", "ozone-om-1", "ozone-om-2");
        DecommissionCalls().Should().Equal(["ozone-om-6", "ozone-om-5", "ozone-om-4", "ozone-om-3"], "each node is removed once, by one scale-in");
        watch.Losses.Should().BeEmpty();
        RingRecord().ContainsKey("scaleInHolder").Should().BeFalse("the lock is given back at the end");
    }

    [Fact]
    public async Task Scale_in_takes_over_the_lock_of_a_finished_pod_and_waits_for_a_running_one_until_its_deadline()
    {
        await ring.InstallAsync(4);
        AddRunningPod("ozone-om-scale-in-alive");
        ring.Kube!.Store.Add("{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"ozone-om-scale-in-done\",\"namespace\":\"default\"},\"status\":{\"phase\":\"Failed\"}}");
        var yaml = ring.Membership(3, 4);
        yaml.WaitForTurnTimeout = 2;

        HoldLock("ozone-om-scale-in-alive");
        var blocked = await OmLifecycleBinary.RunAsync(ring.HookEnv(yaml), "scale-in", "--replicas", "3");

        blocked.ExitCode.Should().NotBe(0);
        blocked.Stderr.Should().Contain("ozone-om-scale-in-alive").And.Contain("nothing was changed");
        ring.Ring().Voters.Should().HaveCount(4);
        RingRecord()["scaleInHolder"]!.GetValue<string>().Should().Be("ozone-om-scale-in-alive");

        foreach (var gone in new[] { "ozone-om-scale-in-done", "ozone-om-scale-in-deleted" })
        {
            HoldLock(gone);
            var result = await OmLifecycleBinary.RunAsync(ring.HookEnv(ring.Membership(3, 4)), "scale-in", "--replicas", "3");
            result.ExitCode.Should().Be(0, result.Stderr);
            result.Stderr.Should().Contain($"took over the scale-in lock of {gone}");
        }
        ring.Ring().Voters.Should().Equal("ozone-om-0", "ozone-om-1", "ozone-om-2");
    }

    private void AddRunningPod(string name) =>
        ring.Kube!.Store.Add("{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"" + name + "\",\"namespace\":\"default\"},\"status\":{\"phase\":\"Running\"}}");

    /// <summary>Writes the lock into the ring record as another scale-in would have.</summary>
    private void HoldLock(string holder)
    {
        var map = ring.Kube!.Store.Get(ApiResource.ByKind("v1", "ConfigMap")!, "default", "ozone-om-ring")
            ?? JsonNode.Parse("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"ozone-om-ring\",\"namespace\":\"default\"},\"data\":{}}")!.AsObject();
        map["data"]!["scaleInHolder"] = holder;
        ring.Kube.Store.Put(ApiResource.ByKind("v1", "ConfigMap")!, "default", map);
    }

    /// <summary>
    /// om-lifecycle gave spec.replicas back after scaling, so Helm 4's server-side apply of a new
    /// size (without --force-conflicts) is not refused as a conflict with it.
    /// </summary>
    private void HelmCanApplyAnotherSize()
    {
        var sts = ring.Kube!.Store.Get(ApiResource.ByKind("apps/v1", "StatefulSet")!, "default", "ozone-om")!;
        ReplicaOwnership.Owners(sts).Should().NotContain(o => o.StartsWith("om-lifecycle", StringComparison.Ordinal));
        var current = sts["spec"]!["replicas"]!.GetValue<int>();
        ReplicaOwnership.Apply(sts, current, current + 2, "helm", force: false).Should().BeNull();
    }

    /// <summary>Messages of the Events of <paramref name="reason"/> on the OM StatefulSet, oldest first.</summary>
    private List<string> EventMessages(string reason) =>
        ring.Kube!.Store.List(ApiResource.ByKind("v1", "Event")!, "default")
            .Where(e => e["reason"]?.GetValue<string>() == reason && e["involvedObject"]?["name"]?.GetValue<string>() == "ozone-om")
            .OrderBy(e => e["metadata"]!["name"]!.GetValue<string>(), StringComparer.Ordinal)
            .Select(e => e["message"]!.GetValue<string>())
            .ToList();

    private int StatefulSetReplicas() =>
        ring.Kube!.Store.Get(ApiResource.ByKind("apps/v1", "StatefulSet")!, "default", "ozone-om")!["spec"]!["replicas"]!.GetValue<int>();

    private JsonObject? RingRecordOrNull() =>
        ring.Kube!.Store.Get(ApiResource.ByKind("v1", "ConfigMap")!, "default", "ozone-om-ring")?["data"] as JsonObject;

    private JsonObject RingRecord() => RingRecordOrNull() ?? throw new InvalidOperationException("no ring ConfigMap");

    /// <summary>Every `ozone admin om decommission` call, whatever its outcome, by node.</summary>
    private List<string> DecommissionCalls() =>
        ring.OzoneCalls().Where(c => c.Args.Contains("decommission")).Select(DecommissionedNode).ToList();

    private List<string> Decommissions() =>
        ring.OzoneCalls().Where(c => c.ExitCode == 0 && c.Args.Contains("decommission")).Select(DecommissionedNode).ToList();

    private static string DecommissionedNode(SimulatedRing.OzoneCall call) => call.Args.SkipWhile(a => a != "--nodeid").Skip(1).First();
}
