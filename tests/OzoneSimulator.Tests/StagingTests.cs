using System.Text.Json.Nodes;

namespace OzoneSimulator.Tests;

/// <summary>
/// A joiner the leader is still catching up (Ratis staging, ratis-server LeaderStateImpl 3.1–3.2):
/// it blocks other configuration changes, and it is dropped when it goes silent or the leader changes.
/// </summary>
public sealed class StagingTests : IDisposable
{
    private readonly SimCluster cluster = new();

    public void Dispose() => cluster.Dispose();

    private async Task<System.Diagnostics.Process> StageAsync(int joiner, Faults faults)
    {
        await cluster.FormRingAsync(3);
        cluster.State.WriteFaults(faults);
        for (var i = 0; i <= joiner; i++) cluster.Configure(i, Enumerable.Range(0, joiner + 1));
        var process = cluster.Start(joiner, "--bootstrap");
        await cluster.UntilAsync(r => r.PendingJoiners.Contains($"om{joiner}"), $"om{joiner} is staged");
        return process;
    }

    private async Task<IEnumerable<string>> LeaderFollowersAsync()
    {
        var leader = Election.Ordinal(cluster.State.Read().Leader!);
        return JsonNode.Parse(await cluster.JmxAsync(leader))!["beans"]![0]!["Followers"]!.AsArray().Select(f => f!.GetValue<string>().Split('|')[0]);
    }

    // LeaderStateImpl#checkProgress: NOPROGRESS once the joiner has not answered for the staging timeout
    // (3 × raft.server.rpc.timeout.max); ConfigurationStagingState#fail then removes its appender.
    [Fact]
    public async Task A_stopped_staging_joiner_leaves_the_leaders_followers_after_the_staging_timeout()
    {
        var joiner = await StageAsync(3, new Faults { StallBootstrap = ["om3"] });
        (await LeaderFollowersAsync()).Should().Contain("om3");

        joiner.Kill(entireProcessTree: true);
        await joiner.WaitForExitAsync();
        await cluster.UntilAsync(r => !r.PendingJoiners.Contains("om3"), "the leader gave up on om3");

        (await LeaderFollowersAsync()).Should().NotContain("om3");
        cluster.State.Read().Voters.Should().BeEquivalentTo(["om0", "om1", "om2"]);
    }

    [Fact]
    public async Task A_staging_joiner_that_keeps_running_stays_among_the_followers()
    {
        var joiner = await StageAsync(3, new Faults { StallBootstrap = ["om3"] });

        await Task.Delay(TimeSpan.FromSeconds(Election.StagingTimeoutSeconds * 0.01 * 3));

        joiner.HasExited.Should().BeFalse();
        (await LeaderFollowersAsync()).Should().Contain("om3", "a joiner that answers is progressing, so Ratis keeps staging it");
    }

    // The staging state lives in the leader's LeaderStateImpl: a new leader has none, and the request fails.
    [Fact]
    public async Task A_leader_change_drops_the_staging_joiner_and_its_bootstrap_fails()
    {
        var joiner = await StageAsync(3, new Faults { SlowJoinSeconds = { ["om3"] = 200 } });
        var leader = cluster.State.Read().Leader!;
        var other = new[] { "om0", "om1", "om2" }.First(n => n != leader);

        var transfer = await cluster.RunAsync(0, "admin", "om", "transfer", "-id", "svc", "-n", other);
        await joiner.WaitForExitAsync();

        transfer.Code.Should().Be(0, transfer.Err);
        joiner.ExitCode.Should().Be(255);
        (await cluster.ErrorOf(joiner)).Should().Contain("Error Code: RATIS_BOOTSTRAP_ERROR").And.Contain("Failed to add OM om3 in Ratis ring");
        cluster.State.Read().Voters.Should().NotContain("om3");
    }

    // RaftServerImpl#setConfigurationAsync: ReconfigurationInProgressException while the leader is in staging.
    [Fact]
    public async Task A_decommission_is_refused_while_a_joiner_stages()
    {
        await StageAsync(3, new Faults { StallBootstrap = ["om3"] });
        var leader = Election.Ordinal(cluster.State.Read().Leader!);
        var leaving = Enumerable.Range(0, 3).Last(n => n != leader);
        var staying = Enumerable.Range(0, 4).Where(n => n != leaving).ToList();
        foreach (var n in Enumerable.Range(0, 4)) cluster.Configure(n, staying, [leaving]);

        var (code, output, err) = await cluster.RunAsync(leader, "admin", "om", "decommission", "-id", "svc", "-nodeid", $"om{leaving}", "-hostname", cluster.Host(leaving));

        code.Should().Be(255);
        output.Should().Contain($"Failed to decommission OM om{leaving}");
        // The same shape as tests/fixtures/ozone/stderr/admin-decommission-reconfiguration-in-progress.txt.
        var fixture = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "fixtures", "stderr", "admin-decommission-reconfiguration-in-progress.txt"))[1];
        const string shape = @"^Request to decommission\S+\[[^\]]+:\d+\], sent to OM\(s\) \[.+\] failed with error: Reconfiguration is already in progress: conf: \{index: \d+, cur=peers:\[.+\]\|listeners:\[\], old=null\}$";
        fixture.Should().MatchRegex(shape);
        err.Trim().Should().MatchRegex(shape);
        cluster.State.Read().Voters.Should().Contain($"om{leaving}");
    }

    [Fact]
    public async Task A_second_joiner_is_refused_while_one_stages()
    {
        await StageAsync(3, new Faults { StallBootstrap = ["om3"] });
        foreach (var n in Enumerable.Range(0, 5)) cluster.Configure(n, Enumerable.Range(0, 5));

        var second = cluster.Start(4, "--bootstrap");
        await second.WaitForExitAsync();

        second.ExitCode.Should().Be(255);
        // The shape of tests/fixtures/ozone/stderr/om-bootstrap-reconfiguration-in-progress.txt: Ratis' message with its configuration.
        (await cluster.ErrorOf(second)).Should().MatchRegex(@"Failed to Bootstrap OM\. Error Code: RATIS_BOOTSTRAP_ERROR, Error Message: Reconfiguration is already in progress: conf: \{index: \d+, cur=peers:\[om0\|[^\]]+:\d+, .+\]\|listeners:\[\], old=null\}");
        cluster.State.Read().PendingJoiners.Should().Equal("om3");
    }
}
