using System.Text.Json.Nodes;
using FakeKubeApi;
using OmLifecycle.Tests.Cli;

namespace OmLifecycle.Tests.EndToEnd;

/// <summary>
/// Issue 14 point 1: hook commands against an API server that fails for a while. A transient
/// failure (429, 5xx, no answer, a dropped connection) is retried with backoff within
/// timeouts.command; an outage past it ends with exit 5 (Kubernetes API failed), one sentence,
/// and nothing half-done, so that the rerun Helm's next upgrade makes finishes the job.
/// </summary>
public sealed class HookApiFaultsTests : IAsyncLifetime
{
    private readonly SimulatedRing ring = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await ring.DisposeAsync();

    [Fact]
    public async Task Scale_in_rides_out_5xx_429_a_hang_and_a_dropped_connection_and_finishes()
    {
        await ring.InstallAsync(4);
        var kube = ring.Kube!;
        // Faults for the hook's own calls (its service account), not for the OMs' supervision loops.
        kube.AddFault(new ApiFault(ApiFaultKind.Unavailable, verb: "update", resource: "configmaps", count: 2, user: Hook));
        kube.AddFault(new ApiFault(ApiFaultKind.InternalError, verb: "get", resource: "configmaps", count: 2, user: Hook));
        kube.AddFault(new ApiFault(ApiFaultKind.TooManyRequests, verb: "patch", resource: "statefulsets/scale", count: 2, user: Hook));
        kube.AddFault(new ApiFault(ApiFaultKind.Hang, verb: "get", resource: "pods", path: "ozone-om-3$", count: 1, until: DateTimeOffset.UtcNow + TimeSpan.FromSeconds(30), user: Hook));
        // Four: .NET sends a request again once when a reused connection drops before any answer.
        kube.AddFault(new ApiFault(ApiFaultKind.DropConnection, verb: "create", resource: "endpointslices", count: 4, user: Hook));
        var watch = ring.WatchQuorum();

        var result = await OmLifecycleBinary.RunAsync(AsHook(ring.HookEnv(ring.Membership(3, 4))), "scale-in", "--replicas", "3");

        await watch.DisposeAsync();
        result.ExitCode.Should().Be(0, result.Stderr);
        kube.FailedRequests.Should().BeGreaterThanOrEqualTo(8, "every fault was met");
        result.Stderr.Should().Contain("\"event\":\"kube.retry\"").And.Contain("HTTP 503").And.Contain("HTTP 500").And.Contain("HTTP 429").And.Contain("no answer in time");
        ring.Ring().Voters.Should().Equal("ozone-om-0", "ozone-om-1", "ozone-om-2");
        watch.Losses.Should().BeEmpty();
        RingRecord()["pendingWipe"]!.GetValue<string>().Should().Be("ozone-om-3");
        StatefulSetReplicas().Should().Be(3);
    }

    [Fact]
    public async Task An_outage_longer_than_timeouts_command_ends_with_exit_5_changes_nothing_and_a_rerun_finishes()
    {
        await ring.InstallAsync(4);
        var yaml = ring.Membership(3, 4);
        yaml.CommandTimeout = 3;
        var kube = ring.Kube!;
        // Every call of the hook fails; the OMs' own calls are answered.
        kube.AddFault(new ApiFault(ApiFaultKind.Unavailable, user: Hook, until: DateTimeOffset.UtcNow + TimeSpan.FromMinutes(5)));

        var failed = await OmLifecycleBinary.RunAsync(AsHook(ring.HookEnv(yaml)), "scale-in", "--replicas", "3");

        failed.ExitCode.Should().Be(5, failed.Stderr);
        failed.Stderr.Should().Contain("The Kubernetes API kept failing (HTTP 503) for timeouts.command (3 s").And.Contain("run the same command (or the upgrade) again");
        failed.Stderr.Should().NotContain("internal error");
        ring.Ring().Voters.Should().HaveCount(4, "nothing was removed while the record could not be written");
        StatefulSetReplicas().Should().Be(4);

        kube.ClearFaults();
        var rerun = await OmLifecycleBinary.RunAsync(ring.HookEnv(yaml), "scale-in", "--replicas", "3");

        rerun.ExitCode.Should().Be(0, rerun.Stderr);
        ring.Ring().Voters.Should().Equal("ozone-om-0", "ozone-om-1", "ozone-om-2");
        StatefulSetReplicas().Should().Be(3);
    }

    [Fact]
    public async Task Wipe_waits_out_an_API_that_sheds_load_and_wipes_once()
    {
        await ring.InstallAsync(4);
        var down = await OmLifecycleBinary.RunAsync(ring.HookEnv(ring.Membership(3, 4)), "scale-in", "--replicas", "3");
        down.ExitCode.Should().Be(0, down.Stderr);
        ring.Kube!.AddFault(new ApiFault(ApiFaultKind.TooManyRequests, resource: "configmaps", count: 3, user: Hook));

        var wipe = await OmLifecycleBinary.RunAsync(AsHook(ring.WipeEnv(ring.Membership(3, 4), 3)), "wipe", "--node", "ozone-om-3");

        wipe.ExitCode.Should().Be(0, wipe.Stderr);
        ring.Kube.FailedRequests.Should().Be(3);
        Directory.Exists(Path.Combine(ring.MetadataDir(3), "om")).Should().BeFalse("the leaving node's OM metadata is gone");
        RingRecord()["pendingWipe"]!.GetValue<string>().Should().BeEmpty();
    }

    private const string Hook = "default:ozone-om-lifecycle";

    /// <summary>The hook Job's environment with a kubeconfig of its own service account.</summary>
    private Dictionary<string, string?> AsHook(Dictionary<string, string?> env)
    {
        env["OM_LIFECYCLE_KUBECONFIG"] = ring.Kube!.WriteKubeconfig(Path.Combine(ring.Root, "hook-kubeconfig"), "default", new ServiceAccount("default", "ozone-om-lifecycle"));
        return env;
    }

    private int StatefulSetReplicas() =>
        ring.Kube!.Store.Get(ApiResource.ByKind("apps/v1", "StatefulSet")!, "default", "ozone-om")!["spec"]!["replicas"]!.GetValue<int>();

    private JsonObject RingRecord() =>
        ring.Kube!.Store.Get(ApiResource.ByKind("v1", "ConfigMap")!, "default", "ozone-om-ring")?["data"] as JsonObject ?? throw new InvalidOperationException("no ring ConfigMap");
}
