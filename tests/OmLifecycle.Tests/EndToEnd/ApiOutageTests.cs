using System.Text.Json;
using FakeKubeApi;
using OmLifecycle.Tests.Cli;

namespace OmLifecycle.Tests.EndToEnd;

/// <summary>
/// Issue 9, point 5: an OM's liveness never depends on the Kubernetes API. The liveness probe
/// (`probe started`) fails when start's heartbeat is older than a minute, so start must keep it
/// fresh while the API fails and while `ozone om --init` waits for SCM.
/// </summary>
public sealed class ApiOutageTests : IAsyncLifetime
{
    private readonly SimulatedRing ring = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await ring.DisposeAsync();

    [Theory]
    [InlineData(ApiOutage.Unavailable)]
    [InlineData(ApiOutage.TooManyRequests)]
    [InlineData(ApiOutage.DropConnection)]
    public async Task A_running_OM_keeps_its_heartbeat_and_keeps_running_while_every_API_request_fails(ApiOutage outage)
    {
        ring.AttachKubernetes(1);
        ring.WriteMembership(0, ring.Membership(1, null));
        var pod = ring.StartPod(0);
        await ring.WaitUntilAsync(r => r.Leader == "ozone-om-0" && File.Exists(ring.MarkerPath(0)), "a ring of one with its marker");
        var kube = ring.Kube!;
        var omPid = ring.Ring().Running["ozone-om-0"].Pid;

        // A slow machine can time out a request before the outage; only the outage's warnings count.
        var earlier = Log().Count(l => l.Event == "start.kube-unavailable");
        kube.Outage = outage;
        // Only this OM talks to the API: three failed requests are three failed calls of its supervision loop.
        await WaitForAsync(() => kube.FailedRequests >= 3, () => $"the OM kept calling the API during the outage (failed requests: {kube.FailedRequests})");
        var afterThird = DateTimeOffset.UtcNow;
        await WaitForAsync(() => Heartbeat()?.UpdatedAt > afterThird,
            () => $"the heartbeat was refreshed after the API failed three times (heartbeat {Heartbeat()?.UpdatedAt:O}, third failure seen at {afterThird:O}, pod exited: {pod.HasExited})");
        Heartbeat()!.Phase.Should().Be("running");

        kube.Outage = null;
        await WaitForAsync(() => Log().Any(l => l.Event == "start.kube-available"), () => "the OM logged that the API answers again");

        pod.HasExited.Should().BeFalse("the OM serves on without the API");
        ring.Ring().Running["ozone-om-0"].Pid.Should().Be(omPid, "the OM process was never restarted");
        var warnings = Log().Where(l => l.Event == "start.kube-unavailable").Skip(earlier).ToList();
        warnings.Should().HaveCountGreaterThanOrEqualTo(3).And.OnlyContain(l => l.Level == "warn");
        // Exponential backoff: the base doubles, so with ±20 % jitter each wait is longer than the one before (1.6 > 1.2).
        warnings.Take(3).Select(l => l.RetryInMs).Should().BeInAscendingOrder().And.OnlyHaveUniqueItems();
    }

    [Fact]
    public async Task The_heartbeat_stays_fresh_while_ozone_om_init_waits_for_SCM()
    {
        ring.SetFaults(f => f.ScmUnreachable.Add("ozone-om-0"));
        ring.WriteMembership(0, ring.Membership(1, null));
        ring.StartPod(0);

        await WaitForAsync(() => Heartbeat()?.Phase == "init", () => $"start runs ozone om --init (phase {Heartbeat()?.Phase})");
        var first = Heartbeat()!.UpdatedAt;
        await WaitForAsync(() => Heartbeat() is { Phase: "init" } h && h.UpdatedAt > first,
            () => $"the heartbeat was refreshed while --init waits (still {Heartbeat()?.UpdatedAt:O}, phase {Heartbeat()?.Phase})");
        ring.Ring().Voters.Should().BeEmpty("--init has not finished");

        ring.SetFaults(f => f.ScmUnreachable.Clear());
        await ring.WaitUntilAsync(r => r.Leader == "ozone-om-0" && File.Exists(ring.MarkerPath(0)), "the OM runs once SCM answers");
    }

    private sealed record Beat(string Phase, DateTimeOffset UpdatedAt);

    private Beat? Heartbeat()
    {
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(ring.NodeDir(0), "run", "state.json")));
            return new Beat(doc.RootElement.GetProperty("phase").GetString()!, doc.RootElement.GetProperty("updatedAt").GetDateTimeOffset());
        }
        catch (Exception e) when (e is IOException or JsonException)
        {
            return null;
        }
    }

    private sealed record LogLine(string Level, string Event, long RetryInMs);

    private List<LogLine> Log()
    {
        var path = Path.Combine(ring.NodeDir(0), "container.log");
        if (!File.Exists(path)) return [];
        var lines = new List<LogLine>();
        foreach (var line in File.ReadAllLines(path).Where(l => l.StartsWith('{')))
        {
            try
            {
                using var doc = JsonDocument.Parse(line);
                var root = doc.RootElement;
                lines.Add(new LogLine(root.TryGetProperty("level", out var level) ? level.GetString()! : "", root.TryGetProperty("event", out var evt) ? evt.GetString()! : "",
                    root.TryGetProperty("retryInMs", out var retry) ? retry.GetInt64() : 0));
            }
            catch (JsonException)
            {
            }
        }
        return lines;
    }

    /// <summary>Polls <paramref name="condition"/> until it holds or 45 s pass, then fails with what was seen.</summary>
    private async Task WaitForAsync(Func<bool> condition, Func<string> what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(45);
        while (DateTime.UtcNow < deadline)
        {
            if (condition()) return;
            await Task.Delay(50);
        }
        throw new Xunit.Sdk.XunitException($"Not reached: {what()}\n{ring.Logs()}");
    }
}
