using System.Text.Json.Nodes;

namespace OzoneSimulator.Tests;

/// <summary>Each behaviour of the simulator, with the Ozone (or Ratis) source it mirrors.</summary>
public sealed class SimulatorBehaviourTests : IDisposable
{
    private readonly SimCluster cluster = new();

    public void Dispose() => cluster.Dispose();

    // OzoneManagerStarter.java (--init) and OMStorage.java (VERSION)
    [Fact]
    public async Task Init_writes_a_VERSION_bound_to_the_node_and_is_idempotent()
    {
        cluster.Configure(0, [0]);

        (await cluster.RunAsync(0, "om", "--init")).Code.Should().Be(0);
        var version = File.ReadAllText(Path.Combine(cluster.Metadata(0), "om", "current", "VERSION"));
        (await cluster.RunAsync(0, "om", "--init")).Code.Should().Be(0);

        version.Should().Contain("nodeId=om0").And.Contain("nodeType=OM").And.Contain("clusterID=CID-");
        File.ReadAllText(Path.Combine(cluster.Metadata(0), "om", "current", "VERSION")).Should().Be(version);
    }

    // The OzoneManager constructor (2.0–2.2) throws OM_NOT_INITIALIZED on a volume without VERSION; GenericCli exits -1 (255).
    [Fact]
    public async Task A_start_without_init_fails_with_255()
    {
        cluster.Configure(0, [0]);

        var (code, _, err) = await cluster.RunAsync(0, "om");

        code.Should().Be(255);
        err.Should().Contain("OM not initialized, current OM storage state: NOT_INITIALIZED");
    }

    // OzoneManager.omInit (2.0–2.2): an INITIALIZED storage prints "OM already initialized." and returns
    // true whoever's VERSION it is; only the next start (OMStorage.validateOrPersistOmNodeId) refuses it.
    [Fact]
    public async Task Init_on_another_nodes_data_exits_0_and_changes_nothing_and_only_the_start_refuses_it()
    {
        cluster.Configure(0, [0]);
        (await cluster.RunAsync(0, "om", "--init")).Code.Should().Be(0);
        var version = File.ReadAllText(Path.Combine(cluster.Metadata(0), "om", "current", "VERSION"));
        cluster.Configure(1, [1]);
        File.WriteAllText(Path.Combine(cluster.ConfDir(1), "ozone-site.xml"),
            File.ReadAllText(Path.Combine(cluster.ConfDir(1), "ozone-site.xml")).Replace(cluster.Metadata(1), cluster.Metadata(0)));

        var (code, stdout, _) = await cluster.RunAsync(1, "om", "--init");
        var start = await cluster.RunAsync(1, "om");

        code.Should().Be(0);
        stdout.Should().Contain("OM already initialized.Reusing existing cluster id");
        File.ReadAllText(Path.Combine(cluster.Metadata(0), "om", "current", "VERSION")).Should().Be(version);
        start.Code.Should().Be(255, "the OzoneManager constructor's exception fails the start with GenericCli's -1");
        start.Err.Should().Contain("does not match the existing nodeId in the VERSION file");
    }

    // Ratis RaftServerJmxAdapter (Id, LeaderId, CurrentTerm, GroupId, Role, Followers) served by Hadoop's JMXJsonServlet
    // The OM's HTTP server binds ozone.om.http-bind-host (default 0.0.0.0, OMConfigKeys) on the port of
    // ozone.om.http-address, so it starts whether or not DNS has the OM's own name yet (a pod's name is
    // published only once its endpoint is, and a miss may be cached); the twin gives the pod's address.
    [Fact]
    public async Task An_om_whose_own_name_does_not_resolve_yet_still_serves_on_its_pod_address()
    {
        cluster.Configure(0, [0]);
        var site = Path.Combine(cluster.ConfDir(0), "ozone-site.xml");
        File.WriteAllText(site, File.ReadAllText(site).Replace($"{cluster.Host(0)}:", "om0.om-headless.default.svc.cluster.local:"));
        File.WriteAllText(Path.Combine(cluster.StateDir, "hosts.json"), "{}");
        (await cluster.RunAsync(0, "om", "--init")).Code.Should().Be(0);
        var info = cluster.Info(0, "om");
        info.Environment[ScmIdentity.PodIpVariable] = cluster.Host(0);
        using var om = System.Diagnostics.Process.Start(info)!;
        _ = om.StandardOutput.ReadToEndAsync();
        var err = om.StandardError.ReadToEndAsync();
        try
        {
            await cluster.UntilAsync(r => r.Leader == "om0" || om.HasExited, "om0 leads or exits");
            om.HasExited.Should().BeFalse(om.HasExited ? await err : "");
            JsonNode.Parse(await cluster.JmxAsync(0))!["beans"]![0]!["Id"]!.GetValue<string>().Should().Be("om0");
        }
        finally
        {
            try { om.Kill(); } catch (InvalidOperationException) { }
        }
    }

    [Fact]
    public async Task Initial_members_form_one_group_and_the_leader_bean_lists_its_followers()
    {
        await cluster.FormRingAsync(3);

        var leader = cluster.State.Read().Leader!;
        var bean = JsonNode.Parse(await cluster.JmxAsync(int.Parse(leader[2..])))!["beans"]![0]!;
        var follower = JsonNode.Parse(await cluster.JmxAsync(leader == "om1" ? 2 : 1))!["beans"]![0]!;

        bean["Role"]!.GetValue<string>().Should().Be("   LEADER", "RoleInfo.toString() pads to nine characters");
        bean["Followers"]!.AsArray().Select(f => f!.GetValue<string>().Split('|')[0]).Should().BeEquivalentTo(new[] { "om0", "om1", "om2" }.Where(x => x != leader));
        follower["Role"]!.GetValue<string>().Should().Be(" FOLLOWER");
        follower["LeaderId"]!.GetValue<string>().Should().Be(leader);
        follower["GroupId"]!.GetValue<string>().Should().Be(bean["GroupId"]!.GetValue<string>());
    }

    // OzoneManager#checkConfigBeforeBootstrap: peers' on-disk ozone-site.xml must list the joiner
    [Fact]
    public async Task Bootstrap_pre_check_fails_with_exit_1_until_every_peer_file_lists_the_joiner()
    {
        await cluster.FormRingAsync(3);
        cluster.Configure(3, [0, 1, 2, 3]);

        var joiner = cluster.Start(3, "--bootstrap");
        await joiner.WaitForExitAsync();

        joiner.ExitCode.Should().Be(1);
        cluster.State.Read().Voters.Should().NotContain("om3");
    }

    // OzoneManager#checkConfigBeforeBootstrap asks each peer once (a reachable peer whose file lacks the
    // joiner is not asked again) and exits 1 naming every failing peer (OmUtils.getOMAddressListPrintString)
    [Fact]
    public async Task Bootstrap_pre_check_asks_each_peer_once_and_names_every_peer_whose_file_lacks_the_joiner()
    {
        await cluster.FormRingAsync(3);
        cluster.Configure(1, [0, 1, 2, 3]);
        cluster.Configure(3, [0, 1, 2, 3]);

        var (code, _, err) = await cluster.RunAsync(3, "om", "--bootstrap");

        code.Should().Be(1);
        err.Should().Contain($"OM(s) [om0[{cluster.Host(0)}:9862],om2[{cluster.Host(2)}:9862]] do not have or have incorrect information of the bootstrapping OM. Update their ozone-site.xml before proceeding.");
        cluster.State.Read().Voters.Should().NotContain("om3");
    }

    // Only connecting is retried (the IPC client's ozone.om.admin.protocol.max.retries); an unreachable peer fails the pre-check in the end
    [Fact]
    public async Task Bootstrap_pre_check_fails_on_a_peer_that_never_answers_even_when_every_file_lists_the_joiner()
    {
        await cluster.FormRingAsync(3);
        for (var i = 0; i < 4; i++) cluster.Configure(i, [0, 1, 2, 3]);
        cluster.State.WriteFaults(new Faults { PeerDown = ["om2"] });

        var (code, _, err) = await cluster.RunAsync(3, "om", "--bootstrap");

        code.Should().Be(1);
        err.Should().Contain($"OM [om2[{cluster.Host(2)}:9862]] do not have or have incorrect information of the bootstrapping OM.");
    }

    // OzoneManager#bootstrap: after the pre-check the leader adds the node; it keeps running as that OM
    [Fact]
    public async Task Bootstrap_joins_once_peers_list_the_joiner_and_copies_the_leaders_data()
    {
        await cluster.FormRingAsync(3);
        var file = Path.Combine(cluster.Root, "v.txt");
        File.WriteAllText(file, "hello");
        (await cluster.RunAsync(0, "sh", "key", "put", "/vol/b/k", file)).Code.Should().Be(0);
        for (var i = 0; i < 4; i++) cluster.Configure(i, [0, 1, 2, 3]);

        var joiner = cluster.Start(3, "--bootstrap");
        await cluster.UntilAsync(r => r.Voters.Contains("om3"), "om3 joined");

        joiner.HasExited.Should().BeFalse("--bootstrap keeps running as the OM");
        File.ReadAllText(Path.Combine(cluster.Metadata(3), "om.db", "keys.json")).Should().Contain("hello");
    }

    // Ozone's docs (2026-01, ozone-facts.md): an OM whose disk was lost runs `ozone om --bootstrap` again
    // with the same node id; the leader keeps the configuration (a no-change SetConfiguration) and sends its data.
    [Fact]
    public async Task An_empty_voter_that_bootstraps_again_with_its_own_id_gets_the_leaders_data_back()
    {
        await cluster.FormRingAsync(3);
        await PutKeyAsync("hello");
        await LoseDiskAsync(2);

        cluster.Start(2, "--bootstrap");
        await cluster.UntilAsync(r => r.Running.ContainsKey("om2") && File.Exists(Path.Combine(cluster.Metadata(2), "om.db", "keys.json")), "om2 rejoined");

        File.ReadAllText(Path.Combine(cluster.Metadata(2), "om.db", "keys.json")).Should().Contain("hello");
        var ring = cluster.State.Read();
        ring.Voters.Should().Equal("om0", "om1", "om2");
        ring.LostLog.Should().BeEmpty();
    }

    // Ratis (RaftStorageImpl, StartupOption RECOVER) formats a new storage for a missing dir: a voter started
    // plainly on an empty volume votes with no log and no record of its votes. Harsher than Ozone, which would
    // later install the leader's checkpoint: the simulator gives it no data and records the broken safety.
    [Fact]
    public async Task An_empty_voter_started_as_a_plain_member_is_recorded_as_having_lost_its_raft_log()
    {
        await cluster.FormRingAsync(3);
        await PutKeyAsync("hello");
        await LoseDiskAsync(2);
        (await cluster.RunAsync(2, "om", "--init")).Code.Should().Be(0);

        cluster.Start(2);
        await cluster.UntilAsync(r => r.Running.ContainsKey("om2"), "om2 started");

        cluster.State.Read().LostLog.Should().Equal("om2");
        File.Exists(Path.Combine(cluster.Metadata(2), "om.db", "keys.json")).Should().BeFalse();
    }

    private async Task PutKeyAsync(string value)
    {
        var file = Path.Combine(cluster.Root, "v.txt");
        File.WriteAllText(file, value);
        (await cluster.RunAsync(0, "sh", "key", "put", "/vol/b/k", file)).Code.Should().Be(0);
    }

    private async Task LoseDiskAsync(int i)
    {
        System.Diagnostics.Process.GetProcessById(cluster.State.Read().Running[$"om{i}"].Pid).Kill();
        await cluster.UntilAsync(r => !r.Running.ContainsKey($"om{i}") && r.Leader is not null, $"om{i} stopped and the others lead");
        Directory.Delete(cluster.Metadata(i), recursive: true);
    }

    // OzoneManagerStarter.java: LEADER_UNDETERMINED when no leader can add the node
    [Fact]
    public async Task Bootstrap_without_a_leader_fails_with_exit_255()
    {
        cluster.Configure(3, [3]);

        var joiner = cluster.Start(3, "--bootstrap", "--force");
        await joiner.WaitForExitAsync();

        joiner.ExitCode.Should().Be(255);
    }

    // HDDS-16057 (Ozone 2.2.0): a bootstrap can loop forever on SNAPSHOT_UNAVAILABLE
    [Fact]
    public async Task A_stalled_bootstrap_keeps_running_and_never_joins()
    {
        await cluster.FormRingAsync(3);
        cluster.State.WriteFaults(new Faults { StallBootstrap = ["om3"] });
        for (var i = 0; i < 4; i++) cluster.Configure(i, [0, 1, 2, 3]);

        var joiner = cluster.Start(3, "--bootstrap");
        await cluster.UntilAsync(r => r.PendingJoiners.Contains("om3"), "om3 asked to join");
        await Task.Delay(300);

        joiner.HasExited.Should().BeFalse();
        cluster.State.Read().Voters.Should().NotContain("om3");
    }

    // Ratis 3.1–3.2 LeaderStateImpl: a staging peer gets a log appender before the configuration change,
    // and RaftServerJmxAdapter#getFollowers lists every appender. The leader's peer map, which `roles`
    // reports, grows only when the add is applied (OzoneManagerStateMachine#notifyConfigurationChanged).
    [Fact]
    public async Task A_staged_joiner_is_in_the_leaders_followers_but_not_in_roles_before_its_add_commits()
    {
        await cluster.FormRingAsync(3);
        cluster.State.WriteFaults(new Faults { StallBootstrap = ["om3"] });
        for (var i = 0; i < 4; i++) cluster.Configure(i, [0, 1, 2, 3]);

        cluster.Start(3, "--bootstrap");
        await cluster.UntilAsync(r => r.PendingJoiners.Contains("om3"), "om3 asked to join");
        var leader = Election.Ordinal(cluster.State.Read().Leader!);
        var followers = JsonNode.Parse(await cluster.JmxAsync(leader))!["beans"]![0]!["Followers"]!.AsArray().Select(f => f!.GetValue<string>());
        var roles = await cluster.RunAsync(3, "admin", "om", "roles", "-id", "svc", "--json");

        followers.Should().Contain(f => f.StartsWith("om3|", StringComparison.Ordinal), "Ratis lists a catching-up peer");
        cluster.State.Read().Voters.Should().NotContain("om3");
        roles.Code.Should().Be(0);
        RoleIds(roles.Out).Should().BeEquivalentTo(["om0", "om1", "om2"], "the leader's peer map lacks a joiner whose add has not committed, though every file lists it");
    }

    [Fact]
    public async Task Roles_list_a_joiner_once_its_add_committed()
    {
        await cluster.FormRingAsync(3);
        for (var i = 0; i < 4; i++) cluster.Configure(i, [0, 1, 2, 3]);

        cluster.Start(3, "--bootstrap");
        await cluster.UntilAsync(r => r.Voters.Contains("om3"), "om3 joined");
        var roles = await cluster.RunAsync(3, "admin", "om", "roles", "-id", "svc", "--json");

        roles.Code.Should().Be(0);
        RoleIds(roles.Out).Should().BeEquivalentTo(["om0", "om1", "om2", "om3"]);
    }

    private static IEnumerable<string> RoleIds(string json) => JsonNode.Parse(json)!.AsArray().Select(e => e!.AsObject().First().Key);

    // GetServiceRolesSubcommand.java: the leader's peer map, JSON shape, stopped followers still FOLLOWER
    [Fact]
    public async Task Roles_report_the_leaders_peer_map_in_json_and_text()
    {
        await cluster.FormRingAsync(3);

        var json = await cluster.RunAsync(0, "admin", "om", "roles", "-id", "svc", "--json");
        var text = await cluster.RunAsync(0, "admin", "om", "getserviceroles", "--service-id", "svc");

        json.Code.Should().Be(0);
        var entries = JsonNode.Parse(json.Out)!.AsArray();
        entries.Should().HaveCount(3);
        entries.Select(e => e!.AsObject().First().Value!["serverRole"]!.GetValue<string>()).Count(r => r == "LEADER").Should().Be(1);
        text.Out.Should().MatchRegex(@"om0 : (LEADER|FOLLOWER) \(127\.\d+\.0\.1\)");
    }

    // OMFailoverProxyProvider: without a leader the client retries ozone.client.failover.max.attempts times, then 255
    [Fact]
    public async Task Roles_without_a_leader_give_up_after_the_configured_attempts_with_exit_255()
    {
        cluster.Configure(0, [0, 1, 2]);

        var (code, _, err) = await cluster.RunAsync(0, "admin", "--set=ozone.client.failover.max.attempts=2", "om", "roles", "-id", "svc");

        code.Should().Be(255);
        err.Should().Contain("after 2 attempts");
    }

    // picocli usage errors exit 2
    [Theory]
    [InlineData("admin", "om", "frob")]
    [InlineData("admin", "om", "roles", "-id", "svc", "--xml")]
    [InlineData("nothing")]
    [InlineData("om", "--bogus")]
    public async Task Unknown_commands_and_options_exit_2(params string[] args)
    {
        cluster.Configure(0, [0]);

        (await cluster.RunAsync(0, args)).Code.Should().Be(2);
    }

    // DecommissionOMSubcommand.java: the leader cannot remove itself
    [Fact]
    public async Task Decommissioning_the_leader_fails_with_not_present_in_the_peer_list()
    {
        await cluster.FormRingAsync(3);
        var leader = int.Parse(cluster.State.Read().Leader![2..]);
        for (var i = 0; i < 3; i++) cluster.Configure(i, Enumerable.Range(0, 3).Where(n => n != leader), [leader]);
        await Task.Delay(50);

        var (code, _, err) = await cluster.RunAsync(0, "admin", "om", "decommission", "-id", "svc", "-nodeid", $"om{leader}", "-hostname", cluster.Host(leader));

        code.Should().Be(255);
        err.Should().Contain("OM node not present in the OM peer list.");
    }

    // DecommissionOMSubcommand.java: without --force every running OM's file must list the node as decommissioned
    [Fact]
    public async Task Decommission_checks_every_running_peers_file_and_then_removes_the_node()
    {
        await cluster.FormRingAsync(3);
        // Any node may win the election, and a leader cannot remove itself: remove a follower.
        var leader = int.Parse(cluster.State.Read().Leader![2..]);
        var leaving = Enumerable.Range(0, 3).Last(n => n != leader);
        var staying = Enumerable.Range(0, 3).Where(n => n != leaving).ToList();
        var client = staying[0];
        cluster.Configure(client, staying, [leaving]);

        var early = await cluster.RunAsync(client, "admin", "om", "decommission", "-id", "svc", "-nodeid", $"om{leaving}", "-hostname", cluster.Host(leaving));
        foreach (var n in Enumerable.Range(0, 3).Where(n => n != client)) cluster.Configure(n, staying, [leaving]);
        var done = await cluster.RunAsync(client, "admin", "om", "decommission", "-id", "svc", "-nodeid", $"om{leaving}", "-hostname", cluster.Host(leaving));

        early.Code.Should().Be(255);
        early.Err.Should().Contain($"does not list om{leaving} as decommissioned");
        done.Code.Should().Be(0, done.Err);
        done.Out.Should().Contain($"Successfully decommissioned OM om{leaving}");
        cluster.State.Read().Voters.Should().Equal(staying.Select(n => $"om{n}"));
    }

    // DecommissionOMSubcommand.java (2.0-2.2): every ACTIVE node of the client's own config is asked,
    // running or not (OmUtils.getAllOMHAAddresses(conf, svc, false)); a stopped one fails the command.
    [Fact]
    public async Task Decommission_asks_every_node_of_the_clients_config_and_fails_on_a_stopped_one()
    {
        await cluster.FormRingAsync(4);
        (await cluster.RunAsync(0, "admin", "om", "transfer", "-id", "svc", "-n", "om0")).Code.Should().Be(0);
        const int stopped = 1;
        System.Diagnostics.Process.GetProcessById(cluster.State.Read().Running[$"om{stopped}"].Pid).Kill();
        await cluster.UntilAsync(r => !r.Running.ContainsKey($"om{stopped}") && r.Leader is not null, "one staying follower down");
        for (var i = 0; i < 4; i++) cluster.Configure(i, [0, 1, 2], [3]);

        var listsStopped = await cluster.RunAsync(0, "admin", "om", "decommission", "-id", "svc", "-nodeid", "om3", "-hostname", cluster.Host(3));
        cluster.Configure(0, Enumerable.Range(0, 3).Where(i => i != stopped), [3]);
        var runningOnly = await cluster.RunAsync(0, "admin", "om", "decommission", "-id", "svc", "-nodeid", "om3", "-hostname", cluster.Host(3));

        listsStopped.Code.Should().Be(255);
        listsStopped.Err.Should().Contain($"Could not get the configuration of OM om{stopped}");
        runningOnly.Code.Should().Be(0, runningOnly.Err);
        cluster.State.Read().Voters.Should().NotContain("om3");
    }

    // OzoneManager#peerNodesMap (2.0-2.2): built from ozone-site.xml at start without decommissioned
    // ids; the leader checks a decommission against it, not against the Ratis configuration.
    [Fact]
    public async Task A_leader_that_restarted_after_the_node_was_listed_as_decommissioned_does_not_know_it()
    {
        await cluster.FormRingAsync(4);
        (await cluster.RunAsync(0, "admin", "om", "transfer", "-id", "svc", "-n", "om0")).Code.Should().Be(0);
        for (var i = 0; i < 4; i++) cluster.Configure(i, [0, 1, 2], [3]);
        // om1 restarts with om3 listed as decommissioned, then leads.
        System.Diagnostics.Process.GetProcessById(cluster.State.Read().Running["om1"].Pid).Kill();
        await cluster.UntilAsync(r => !r.Running.ContainsKey("om1"), "om1 stopped");
        cluster.Start(1);
        await cluster.UntilAsync(r => r.Running.ContainsKey("om1") && r.Leader is not null, "om1 back");
        (await cluster.RunAsync(0, "admin", "om", "transfer", "-id", "svc", "-n", "om1")).Code.Should().Be(0);

        var fromRestarted = await cluster.RunAsync(0, "admin", "om", "decommission", "-id", "svc", "-nodeid", "om3", "-hostname", cluster.Host(3));
        (await cluster.RunAsync(0, "admin", "om", "transfer", "-id", "svc", "-n", "om2")).Code.Should().Be(0);
        var fromOlder = await cluster.RunAsync(0, "admin", "om", "decommission", "-id", "svc", "-nodeid", "om3", "-hostname", cluster.Host(3));

        fromRestarted.Code.Should().Be(255);
        fromRestarted.Err.Should().Contain("OM node not present in the OM peer list.");
        fromOlder.Code.Should().Be(0, fromOlder.Err);
        cluster.State.Read().Voters.Should().Equal("om0", "om1", "om2");
    }

    // DecommissionOMSubcommand.java: host and configured address must resolve to the same IP, even with --force
    [Fact]
    public async Task Decommission_with_an_unresolvable_or_different_host_fails_even_with_force()
    {
        await cluster.FormRingAsync(3);
        cluster.Configure(0, [0, 1], [2]);

        var unresolvable = await cluster.RunAsync(0, "admin", "om", "decommission", "-id", "svc", "-nodeid", "om2", "-hostname", "no-such-host", "--force");
        var different = await cluster.RunAsync(0, "admin", "om", "decommission", "-id", "svc", "-nodeid", "om2", "-hostname", cluster.Host(1), "--force");

        unresolvable.Code.Should().Be(255);
        unresolvable.Err.Should().Contain("Could not resolve");
        different.Code.Should().Be(255);
        cluster.State.Read().Voters.Should().HaveCount(3);
    }

    // Ratis: a configuration change needs a majority of the current configuration (the quorum trap)
    [Fact]
    public async Task Stopping_four_of_seven_leaves_no_leader_and_no_removal_can_commit()
    {
        await cluster.FormRingAsync(7);
        foreach (var i in new[] { 3, 4, 5, 6 })
        {
            var pid = cluster.State.Read().Running[$"om{i}"].Pid;
            System.Diagnostics.Process.GetProcessById(pid).Kill();
        }
        await cluster.UntilAsync(r => r.Running.Count == 3, "four stopped");
        cluster.Configure(0, [0, 1, 2, 3, 4, 5], [6]);

        var state = cluster.State.Read();
        var result = await cluster.RunAsync(0, "admin", "om", "decommission", "-id", "svc", "-nodeid", "om6", "-hostname", cluster.Host(6), "--force");

        state.Leader.Should().BeNull();
        result.Code.Should().Be(255);
        cluster.State.Read().Voters.Should().HaveCount(7);
    }

    // TransferOmLeaderSubCommand.java: success message, refusals exit 255
    [Fact]
    public async Task Transfer_moves_leadership_and_a_refused_transfer_exits_255()
    {
        await cluster.FormRingAsync(3);

        var ok = await cluster.RunAsync(0, "admin", "om", "transfer", "-id", "svc", "-n", "om2");
        cluster.State.WriteFaults(new Faults { RefuseTransfer = true });
        var refused = await cluster.RunAsync(0, "admin", "om", "transfer", "-id", "svc", "-n", "om1");
        var unknown = await cluster.RunAsync(0, "admin", "om", "transfer", "-id", "svc", "-n", "om9");

        ok.Out.Should().Contain("Transfer leadership successfully to om2.");
        cluster.State.Read().Leader.Should().Be("om2");
        refused.Code.Should().Be(255);
        refused.Err.Should().Contain("not in FOLLOWER role");
        unknown.Err.Should().Contain("not found in group");
    }

    // Ozone's OM group id comes from the service id (OzoneManagerRatisServer); before the leader adds it,
    // a joiner's Ratis server is a FOLLOWER of that group that has no leader (Ratis RaftServerImpl).
    [Fact]
    public async Task A_joiner_is_a_follower_of_the_rings_group_with_no_leader_until_added()
    {
        await cluster.FormRingAsync(3);
        cluster.State.WriteFaults(new Faults { StallBootstrap = ["om3"] });
        for (var i = 0; i < 4; i++) cluster.Configure(i, [0, 1, 2, 3]);

        cluster.Start(3, "--bootstrap");
        await cluster.UntilAsync(r => r.PendingJoiners.Contains("om3"), "om3 asked to join");
        var bean = JsonNode.Parse(await cluster.JmxAsync(3))!["beans"]![0]!;

        bean["Role"]!.GetValue<string>().Should().Be(" FOLLOWER");
        bean["LeaderId"].Should().BeNull();
        bean["GroupId"]!.GetValue<string>().Should().Be(cluster.State.Read().GroupId);
    }

    // OzoneManager#checkConfigBeforeBootstrap runs before Ratis and the HTTP server start
    [Fact]
    public async Task A_joiner_whose_pre_check_fails_never_answers_on_its_http_port()
    {
        await cluster.FormRingAsync(3);
        cluster.Configure(3, [0, 1, 2, 3]);

        var joiner = cluster.Start(3, "--bootstrap");
        var answered = false;
        while (!joiner.HasExited)
        {
            try { await cluster.JmxAsync(3); answered = true; }
            catch (HttpRequestException) { }
            await Task.Delay(10);
        }

        joiner.ExitCode.Should().Be(1);
        answered.Should().BeFalse();
    }

    // Ratis: a removed member that keeps running campaigns; the leader tells it to shut its server down
    [Fact]
    public async Task A_decommissioned_OM_that_keeps_running_loses_its_raft_server_bean()
    {
        await cluster.FormRingAsync(3);
        var leader = cluster.State.Read().Leader!;
        var removed = new[] { 0, 1, 2 }.First(i => $"om{i}" != leader);
        var asker = new[] { 0, 1, 2 }.First(i => i != removed);
        cluster.Configure(asker, new[] { 0, 1, 2 }.Where(i => i != removed), [removed]);

        (await cluster.RunAsync(asker, "admin", "om", "decommission", "-id", "svc", "-nodeid", $"om{removed}", "-hostname", cluster.Host(removed), "--force")).Code.Should().Be(0);
        var answer = JsonNode.Parse(await cluster.JmxAsync(removed))!;

        cluster.State.Read().Running.Should().ContainKey($"om{removed}");
        answer["beans"]!.AsArray().Should().BeEmpty();
    }

    // Ratis: with no leader known a voter campaigns (CANDIDATE) and LeaderId is null
    [Fact]
    public async Task Without_a_majority_a_voter_is_a_candidate_with_no_leader()
    {
        await cluster.FormRingAsync(3);
        var survivor = 0;
        foreach (var i in new[] { 1, 2 })
            System.Diagnostics.Process.GetProcessById(cluster.State.Read().Running[$"om{i}"].Pid).Kill();
        await cluster.UntilAsync(r => r.Running.Count == 1, "two stopped");

        var bean = JsonNode.Parse(await cluster.JmxAsync(survivor))!["beans"]![0]!;

        bean["Role"]!.GetValue<string>().Should().Be("CANDIDATE");
        bean["LeaderId"].Should().BeNull();
    }

    // Ratis joint consensus (RaftConfigurationImpl#hasMajority): {0,1,2} with 1 down cannot drop 2,
    // because {0,1} has one of two alive; the ring waits in the joint configuration until 1 is back.
    // The leader's own leadership check needs both majorities too (LeaderStateImpl#checkLeadership), so it
    // steps down and no election can win meanwhile: the harsher reading of the source.
    [Fact]
    public async Task A_removal_without_a_live_majority_of_the_new_configuration_waits_in_the_joint_configuration()
    {
        await cluster.FormRingAsync(3);
        // Any node may lead: take the two followers, stop one and remove the other (still running).
        var leader = int.Parse(cluster.State.Read().Leader![2..]);
        var (down, leaving) = new[] { 0, 1, 2 }.Where(i => i != leader).ToArray() is [var d, var l] ? (d, l) : throw new InvalidOperationException();
        System.Diagnostics.Process.GetProcessById(cluster.State.Read().Running[$"om{down}"].Pid).Kill();
        await cluster.UntilAsync(r => !r.Running.ContainsKey($"om{down}"), "a follower stopped");
        cluster.Configure(leader, new[] { leader, down }, [leaving]);

        var stuck = await cluster.RunAsync(leader, "admin", "om", "decommission", "-id", "svc", "-nodeid", $"om{leaving}", "-hostname", cluster.Host(leaving), "--force");
        var another = await cluster.RunAsync(leader, "admin", "om", "decommission", "-id", "svc", "-nodeid", $"om{down}", "-hostname", cluster.Host(down), "--force");
        var during = cluster.State.Read();
        cluster.Configure(down, [0, 1, 2]);
        cluster.Start(down);
        await cluster.UntilAsync(r => r.PendingRemoval is null && r.Leader is not null, "the joint configuration committed");

        stuck.Code.Should().Be(255);
        another.Code.Should().Be(255);
        during.Leader.Should().BeNull();
        during.Voters.Should().Contain($"om{leaving}");
        during.PendingRemoval.Should().Be($"om{leaving}");
        cluster.State.Read().Voters.Should().BeEquivalentTo($"om{leader}", $"om{down}");
    }

    // Fault switches: forced exit codes and garbage JMX
    [Fact]
    public async Task Forced_exit_codes_and_garbage_jmx_are_served_as_configured()
    {
        await cluster.FormRingAsync(3);
        cluster.State.WriteFaults(new Faults { GarbageJmx = ["om1"], ForcedExits = [new ForcedExit { Command = "roles", Code = 255, Times = 1 }] });

        var first = await cluster.RunAsync(0, "admin", "om", "roles", "-id", "svc");
        var second = await cluster.RunAsync(0, "admin", "om", "roles", "-id", "svc");
        var jmx = await cluster.JmxAsync(1);

        first.Code.Should().Be(255);
        second.Code.Should().Be(0);
        jmx.Should().StartWith("<html>");
    }
}
