namespace OmLifecycle.Tests.EndToEnd;

/// <summary>
/// Issue 8, point 2: Ozone's bootstrap pre-check asks each peer once and fails at once on a file
/// that lacks the joiner (OzoneManager#checkConfigBeforeBootstrap). With the Kubernetes API, start
/// does not run `--bootstrap` until every member it lists runs and has recorded (in the ring
/// record) an ozone-site.xml that lists it: one `ozone om --bootstrap` per join, never a JVM start per try.
/// </summary>
public sealed class JoinerWaitsForMembersTests : IAsyncLifetime
{
    private readonly SimulatedRing ring = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await ring.DisposeAsync();

    [Fact]
    public async Task A_joiner_waits_without_running_ozone_until_every_member_lists_it_then_bootstraps_exactly_once()
    {
        ring.AttachKubernetes(3);
        for (var i = 0; i < 3; i++) ring.WriteMembership(i, ring.Membership(3, null));
        for (var i = 0; i < 3; i++) ring.StartPod(i);
        await ring.WaitUntilAsync(r => r.Leader is not null && r.Voters.Count == 3 && Enumerable.Range(0, 3).All(i => File.Exists(ring.MarkerPath(i))), "a ring of 3 with markers");

        ring.WriteMembership(3, ring.Membership(4, 3));
        ring.StartPod(3);
        await ring.WaitUntilAsync(_ => WaitChecks() >= 3, "the joiner checked three times that the members do not list it yet");
        Bootstraps().Should().BeEmpty("no member lists ozone-om-3 yet, so Ozone's pre-check would fail: start must not run it");
        File.ReadAllText(Path.Combine(ring.NodeDir(3), "container.log")).Should().Contain("has not recorded an ozone-site.xml that lists ozone-om-3 yet");

        for (var i = 0; i < 3; i++) ring.WriteMembership(i, ring.Membership(4, 3));
        await ring.WaitUntilAsync(r => r.Voters.Contains("ozone-om-3") && File.Exists(ring.MarkerPath(3)), "ozone-om-3 joined");

        Bootstraps().Should().ContainSingle("the members listed the joiner before it ran, so the pre-check passed the first time");
        File.ReadAllLines(Path.Combine(ring.StateDir, "calls.jsonl")).Should().NotContain(c => c.Contains("--bootstrap") && c.Contains("\"exitCode\":1"));
    }

    private List<string> Bootstraps() =>
        File.ReadAllLines(Path.Combine(ring.StateDir, "calls.jsonl")).Where(c => c.Contains("--bootstrap") && c.Contains("\"started\":true")).ToList();

    private int WaitChecks()
    {
        var log = Path.Combine(ring.NodeDir(3), "container.log");
        return File.Exists(log) ? File.ReadAllLines(log).Count(l => l.Contains("\"start.bootstrap-wait\"")) : 0;
    }
}
