using OmLifecycle.Tests.Cli;

namespace OmLifecycle.Tests.EndToEnd;

/// <summary>The real om-lifecycle binary as the OM entrypoint, against the Ozone simulator.</summary>
public sealed class StartAgainstSimulatorTests : IAsyncLifetime
{
    private readonly SimulatedRing ring = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await ring.DisposeAsync();

    [Fact]
    public async Task A_first_install_of_three_forms_one_ring_and_every_node_writes_its_marker()
    {
        await ring.StartRingAsync(3);

        var state = ring.Ring();
        state.Voters.Should().BeEquivalentTo("ozone-om-0", "ozone-om-1", "ozone-om-2");
        state.Leader.Should().NotBeNull();
        for (var i = 0; i < 3; i++) File.ReadAllText(ring.MarkerPath(i)).Should().Contain($"\"nodeId\": \"ozone-om-{i}\"").And.Contain("\"mode\": \"init\"");
    }

    [Fact]
    public async Task Scaling_up_by_three_bootstraps_one_node_at_a_time_in_ordinal_order_without_restarting_members()
    {
        await ring.StartRingAsync(3);
        var members = Enumerable.Range(0, 3).ToDictionary(i => i, i => File.ReadAllText(ring.MarkerPath(i)));

        for (var i = 0; i < 6; i++) ring.WriteMembership(i, ring.Membership(6, 3));
        for (var i = 3; i < 6; i++) ring.StartPod(i);
        await ring.WaitUntilAsync(r => r.Voters.Count == 6 && Enumerable.Range(3, 3).All(i => File.Exists(ring.MarkerPath(i))), "six voters with markers", TimeSpan.FromSeconds(90));

        var calls = File.ReadAllLines(Path.Combine(ring.StateDir, "calls.jsonl"));
        var bootstraps = calls.Where(c => c.Contains("--bootstrap") && c.Contains("\"exitCode\":")).ToList();
        ring.Ring().Voters.Should().Equal("ozone-om-0", "ozone-om-1", "ozone-om-2", "ozone-om-3", "ozone-om-4", "ozone-om-5");
        for (var i = 0; i < 3; i++) File.ReadAllText(ring.MarkerPath(i)).Should().Be(members[i], "existing members are not restarted or re-bootstrapped");
        for (var i = 3; i < 6; i++) File.ReadAllText(ring.MarkerPath(i)).Should().Contain("\"mode\": \"bootstrap\"");
        calls.Should().NotContain(c => c.Contains("--bootstrap") && c.Contains("ozone-om-0"));
    }

    [Fact]
    public async Task A_joiner_retries_while_the_members_files_do_not_list_it_yet_and_joins_once_they_do()
    {
        await ring.StartRingAsync(3);
        ring.WriteMembership(3, ring.Membership(4, 3));
        ring.StartPod(3);
        await ring.WaitUntilAsync(_ => File.ReadAllLines(Path.Combine(ring.StateDir, "calls.jsonl")).Any(c => c.Contains("--bootstrap") && c.Contains("\"exitCode\":1")),
            "a bootstrap refused by the pre-check");
        ring.Ring().Voters.Should().NotContain("ozone-om-3");

        for (var i = 0; i < 3; i++) ring.WriteMembership(i, ring.Membership(4, 3));
        await ring.WaitUntilAsync(r => r.Voters.Contains("ozone-om-3") && File.Exists(ring.MarkerPath(3)), "ozone-om-3 joined");
    }

    [Fact]
    public async Task A_bootstrap_that_stalls_is_reported_and_stopped_at_the_deadline_not_waited_on_forever()
    {
        await ring.StartRingAsync(3);
        ring.SetFaults(f => f.StallBootstrap.Add("ozone-om-3"));
        var yaml = ring.Membership(4, 3);
        for (var i = 0; i < 4; i++) ring.WriteMembership(i, yaml);
        File.WriteAllText(Path.Combine(ring.NodeDir(3), "membership.yaml"), File.ReadAllText(Path.Combine(ring.NodeDir(3), "membership.yaml")).Replace("bootstrap: 900", "bootstrap: 3"));

        var pod = ring.StartPod(3);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await ring.WaitForPodExitAsync(pod, timeout.Token);

        pod.ExitCode.Should().Be(3);
        File.Exists(ring.MarkerPath(3)).Should().BeFalse();
        File.ReadAllText(Path.Combine(ring.NodeDir(3), "container.log")).Should().Contain("HDDS-16057");
    }

    // Ratis lists a staging joiner in the leader's Followers; only the leader's peer map (`roles`) shows the add committed.
    [Fact]
    public async Task A_joiner_whose_add_never_commits_gets_no_marker_though_the_leaders_followers_list_it()
    {
        await ring.StartRingAsync(3);
        ring.SetFaults(f => f.StallBootstrap.Add("ozone-om-3"));
        for (var i = 0; i < 4; i++) ring.WriteMembership(i, ring.Membership(4, 3));

        ring.StartPod(3);
        await ring.WaitUntilAsync(_ => RolesCallsBy("ozone-om-3", "\"exitCode\":0").Count() >= 2, "ozone-om-3 asked the leader's peer map twice");

        ring.Ring().PendingJoiners.Should().Contain("ozone-om-3");
        File.Exists(ring.MarkerPath(3)).Should().BeFalse();
        File.Exists(Path.Combine(ring.MetadataDir(3), "om-lifecycle.bootstrapping")).Should().BeTrue("an unconfirmed bootstrap bootstraps again at the next start");
        File.ReadAllText(Path.Combine(ring.NodeDir(3), "container.log")).Should().Contain("start.staging");
    }

    [Fact]
    public async Task A_joiner_whose_roles_call_fails_stays_unconfirmed_asks_again_and_is_confirmed_once_it_answers()
    {
        await ring.StartRingAsync(3);
        var faults = ring.Sim.Faults();
        // One RolesAsync is three runs (two read retries on 255).
        faults.ForcedExits.Add(new OzoneSimulator.ForcedExit { Command = "roles", Code = 255, Times = 3 });
        ring.Sim.WriteFaults(faults);
        for (var i = 0; i < 4; i++) ring.WriteMembership(i, ring.Membership(4, 3));

        ring.StartPod(3);
        await ring.WaitUntilAsync(r => r.Voters.Contains("ozone-om-3") && File.Exists(ring.MarkerPath(3)), "ozone-om-3 confirmed");

        RolesCallsBy("ozone-om-3", "\"exitCode\":255").Should().HaveCount(3);
        RolesCallsBy("ozone-om-3", "\"exitCode\":0").Should().NotBeEmpty();
        File.ReadAllText(Path.Combine(ring.NodeDir(3), "container.log")).Should().Contain("start.roles-unanswered");
        File.Exists(Path.Combine(ring.MetadataDir(3), "om-lifecycle.bootstrapping")).Should().BeFalse();
    }

    private IEnumerable<string> RolesCallsBy(string node, string result) =>
        File.ReadAllLines(Path.Combine(ring.StateDir, "calls.jsonl")).Where(c => c.Contains("\"roles\"") && c.Contains($"\"node\":\"{node}\"") && c.Contains(result));

    [Fact]
    public async Task A_joiner_killed_mid_bootstrap_converges_when_it_starts_again()
    {
        await ring.StartRingAsync(3);
        var faults = ring.Sim.Faults();
        faults.SlowJoinSeconds["ozone-om-3"] = 1000;
        ring.Sim.WriteFaults(faults);
        for (var i = 0; i < 4; i++) ring.WriteMembership(i, ring.Membership(4, 3));
        ring.StartPod(3);
        await ring.WaitUntilAsync(r => r.PendingJoiners.Contains("ozone-om-3"), "ozone-om-3 asked to join");

        await ring.StopPodAsync(3, hard: true);
        faults.SlowJoinSeconds.Clear();
        ring.Sim.WriteFaults(faults);
        ring.StartPod(3);

        await ring.WaitUntilAsync(r => r.Voters.Contains("ozone-om-3") && File.Exists(ring.MarkerPath(3)), "ozone-om-3 joined after the restart");
        ring.Ring().Voters.Count(v => v == "ozone-om-3").Should().Be(1);
    }

    [Fact]
    public async Task Stopping_a_member_forwards_SIGTERM_and_start_exits_with_the_OMs_own_code()
    {
        await ring.StartRingAsync(3);

        var code = await ring.StopPodAsync(2);

        code.Should().Be(143);
        // If ozone-om-2 led, nobody leads until the others' election timeout has passed (Ratis FollowerState).
        await ring.WaitUntilAsync(r => !r.Running.ContainsKey("ozone-om-2") && r.Leader is not null, "ozone-om-2 stopped and two of three voters elect a leader");
        ring.Ring().Leader.Should().BeOneOf("ozone-om-0", "ozone-om-1");
    }

    [Fact]
    public async Task A_node_started_on_another_nodes_volume_refuses_and_changes_nothing()
    {
        await ring.StartRingAsync(3);
        await ring.StopPodAsync(2);
        var version = Path.Combine(ring.MetadataDir(2), "om", "current", "VERSION");
        File.WriteAllText(version, File.ReadAllText(version).Replace("nodeId=ozone-om-2", "nodeId=ozone-om-1"));
        var before = Directory.GetFiles(ring.NodeDir(2), "*", SearchOption.AllDirectories).Where(f => !f.EndsWith(".log") && !f.Contains("/run/")).ToDictionary(f => f, File.ReadAllText);

        var pod = ring.StartPod(2);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await ring.WaitForPodExitAsync(pod, timeout.Token);

        pod.ExitCode.Should().Be(1);
        File.ReadAllText(Path.Combine(ring.NodeDir(2), "container.log")).Should().Contain("belongs to OM 'ozone-om-1'");
        before.Should().AllSatisfy(kv => File.ReadAllText(kv.Key).Should().Be(kv.Value));
    }

    [Fact]
    public async Task Status_inside_a_member_pod_shows_the_ring_and_what_start_would_do()
    {
        await ring.StartRingAsync(3);

        var result = await OmLifecycleBinary.RunAsync(ring.Env(1), "status", "--output", "json");

        result.ExitCode.Should().Be(0);
        result.Stdout.Should().Contain($"\"leader\": \"{ring.Ring().Leader}\"").And.Contain("\"startAction\": \"Member\"").And.Contain("\"markerNode\": \"ozone-om-1\"");
        result.Stdout.Should().Contain($"\"term\": {ring.Ring().Term}", "the leader's Raft term, from its JMX");
    }

    // The image's entrypoint (apache/ozone dockerlibexec/entrypoint.sh) runs envtoconf.py into
    // ${HADOOP_CONF_DIR}, the OM's conf dir, at every container start, before `exec "$@"` runs
    // om-lifecycle: the file it writes has only the OZONE-SITE.XML_ properties, on one line each,
    // unescaped, without the membership keys om-lifecycle wrote at the previous start.
    [Fact]
    public async Task The_OM_runs_with_om_lifecycles_ozone_site_over_the_one_the_entrypoint_generates_at_every_start()
    {
        for (var i = 0; i < 3; i++) { ring.WriteMembership(i, ring.Membership(3, null)); WriteAsEnvtoconf(i); }
        for (var i = 0; i < 3; i++) ring.StartPod(i);
        await ring.WaitUntilAsync(r => r.Leader is not null && r.Voters.Count == 3 && Enumerable.Range(0, 3).All(i => File.Exists(ring.MarkerPath(i))), "a ring of 3 with markers");
        var site = Path.Combine(ring.NodeDir(0), "conf", "ozone-site.xml");
        Properties(site).Should().ContainKey("ozone.om.nodes.ozone").And.Contain("ozone.om.envtoconf.marker", "a & b");

        await ring.StopPodAsync(0);
        WriteAsEnvtoconf(0);
        Properties(site).Should().NotContainKey("ozone.om.nodes.ozone", "the restarted container's entrypoint rewrote the file from the environment alone");
        ring.StartPod(0);
        await ring.WaitUntilAsync(r => r.Running.ContainsKey("ozone-om-0") && r.Voters.Count == 3, "ozone-om-0 running again as a member");

        var after = Properties(site);
        after.Should().Contain("ozone.om.nodes.ozone", "ozone-om-0,ozone-om-1,ozone-om-2").And.Contain("ozone.om.envtoconf.marker", "a & b")
            .And.Contain("ozone.metadata.dirs", ring.MetadataDir(0));
        ring.Ring().Voters.Should().BeEquivalentTo("ozone-om-0", "ozone-om-1", "ozone-om-2");
    }

    /// <summary>ozone-site.xml as envtoconf.py writes it: one property per line, values as given (an escaped one here, so the file stays readable).</summary>
    private void WriteAsEnvtoconf(int ordinal) =>
        File.WriteAllText(Path.Combine(ring.NodeDir(ordinal), "conf", "ozone-site.xml"),
            $"<configuration>\n<property><name>ozone.metadata.dirs</name><value>{ring.MetadataDir(ordinal)}</value></property>\n" +
            "<property><name>ozone.om.envtoconf.marker</name><value>a &amp; b</value></property>\n</configuration>\n");

    private static Dictionary<string, string> Properties(string path) =>
        System.Xml.Linq.XDocument.Load(path).Root!.Elements("property").ToDictionary(p => p.Element("name")!.Value.Trim(), p => p.Element("value")?.Value ?? "");
}
