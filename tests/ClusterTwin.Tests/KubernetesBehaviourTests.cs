using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace ClusterTwin.Tests;

/// <summary>
/// The Kubernetes behaviours the twin reproduces, each on its own. Pods here run `sleep` (or a
/// tiny shell probe) instead of Ozone, so the controller and the kubelet are tested without om-lifecycle.
/// </summary>
public sealed class KubernetesBehaviourTests : IAsyncLifetime
{
    private readonly string work = TwinWorkDir.Create("twin-k8s");
    private Cluster cluster = null!;
    private OmStatefulSet controller = null!;

    /// <summary>Cluster DNS's answers (name → IP JSON).</summary>
    private string Hosts() => File.Exists(cluster.DnsAnswers) ? File.ReadAllText(cluster.DnsAnswers) : "";

    public Task InitializeAsync()
    {
        cluster = new Cluster(work, "default");
        controller = new OmStatefulSet(cluster, new PodRuntime(cluster, "/bin/false", "/usr/bin"), "demo-om");
        cluster.ServeDns();
        controller.Start();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await controller.DisposeAsync();
        cluster.Dispose();
        Directory.Delete(work, recursive: true);
    }

    [Fact]
    public async Task Parallel_pods_all_start_at_once()
    {
        PutStatefulSet(replicas: 3, policy: "Parallel", marker: "a");

        await Until(() => controller.Pods.Count == 3, "three pods");

        controller.Pods.Keys.Should().BeEquivalentTo([0, 1, 2]);
    }

    [Fact]
    public async Task OrderedReady_creates_the_next_pod_only_when_the_lower_ones_are_ready()
    {
        var gate = Path.Combine(work, "ready-gate");
        PutStatefulSet(replicas: 3, policy: "OrderedReady", marker: "a", readinessFile: gate);

        await Until(() => controller.Pods.Count == 1, "the first pod");
        // Rather than a fixed pause: once the kubelet has found pod 0 unready, two whole controller
        // syncs have each had the chance to create pod 1.
        await Until(() => controller.Pods.TryGetValue(0, out var first) && first.Probes.Any(p => p.Kind == ProbeKind.Readiness && p.RanAt > DateTime.MinValue) && !first.Ready, "pod 0 probed and not ready");
        await controller.SyncedAsync(CancellationToken.None);
        await controller.SyncedAsync(CancellationToken.None);
        controller.Pods.Count.Should().Be(1, "pod 0 is not ready, so pod 1 must wait");
        File.WriteAllText(gate, "");

        await Until(() => controller.Pods.Count == 3, "all pods once ready");
    }

    // A lost node's pod stays Terminating, and the StatefulSet controller never starts a second pod of
    // the same identity while the object exists (Kubernetes docs "Force Delete StatefulSet Pods").
    [Fact]
    public async Task A_pod_on_a_lost_node_stays_terminating_and_is_not_replaced_until_it_is_gone()
    {
        PutStatefulSet(replicas: 2, policy: "Parallel", marker: "a");
        await Until(() => controller.Pods.Count == 2 && controller.Starts.Values.Sum() == 2, "two pods");
        var lost = controller.Pods[1].Process;

        controller.LoseNode(1, TimeSpan.FromSeconds(5));
        await lost.WaitForExitAsync();
        await controller.SyncedAsync(CancellationToken.None);
        await controller.SyncedAsync(CancellationToken.None);

        controller.Starts["demo-om-1"].Should().Be(1, "no container runs again while the Pod object is Terminating");
        cluster.Get("v1", "Pod", "demo-om-1")!["metadata"]!["deletionTimestamp"].Should().NotBeNull();
        controller.IsReady(1).Should().BeFalse();
        await Until(() => controller.Starts["demo-om-1"] == 2, "the pod created again once the old one is gone");
        cluster.Get("v1", "Pod", "demo-om-1")!["metadata"]!["deletionTimestamp"].Should().BeNull();
    }

    [Fact]
    public async Task A_crashed_container_is_restarted_in_the_same_pod()
    {
        PutStatefulSet(replicas: 1, policy: "Parallel", marker: "a");
        await Until(() => controller.Pods.Count == 1 && controller.Starts.Values.Sum() == 1, "one pod");
        var uid = cluster.Get("v1", "Pod", "demo-om-0")!["metadata"]!["uid"]!.GetValue<string>();

        controller.KillContainer(0);

        await Until(() => controller.Starts["demo-om-0"] == 2, "the container restarted");
        cluster.Get("v1", "Pod", "demo-om-0")!["metadata"]!["uid"]!.GetValue<string>().Should().Be(uid, "the kubelet restarts the container; the pod stays");
    }

    [Fact]
    public async Task Scale_down_removes_the_highest_ordinals_and_keeps_their_volumes_for_a_scale_up()
    {
        PutStatefulSet(replicas: 3, policy: "Parallel", marker: "a");
        await Until(() => controller.Pods.Count == 3, "three pods");
        File.WriteAllText(Path.Combine(cluster.PvcDir("data-demo-om-2"), "kept"), "data");

        PutStatefulSet(replicas: 2, policy: "Parallel", marker: "a");
        await Until(() => controller.Pods.Count == 2, "two pods");
        controller.Pods.Keys.Should().BeEquivalentTo([0, 1]);
        cluster.Get("v1", "Pod", "demo-om-2").Should().BeNull();

        PutStatefulSet(replicas: 3, policy: "Parallel", marker: "a");
        await Until(() => controller.Pods.Count == 3, "three pods again");
        File.ReadAllText(Path.Combine(cluster.PvcDir("data-demo-om-2"), "kept")).Should().Be("data");
    }

    // Kubernetes v1.35 stateful_set_control.go: runForAll over the condemned pods stops after the first
    // only when monotonic (OrderedReady); Parallel deletes them all in one sync. So a scale-down that
    // skips the chart's hooks (helm --no-hooks, kubectl scale) stops every leaving OM at once.
    [Fact]
    public async Task Parallel_scale_down_deletes_every_condemned_pod_at_once()
    {
        PutStatefulSet(replicas: 3, policy: "Parallel", marker: "a", gracePeriod: 30, preStop: ["/bin/sleep", "300"]);
        await Until(() => controller.Pods.Count == 3, "three pods");

        PutStatefulSet(replicas: 1, policy: "Parallel", marker: "a", gracePeriod: 30, preStop: ["/bin/sleep", "300"]);

        await Until(() => controller.Pods.TryGetValue(1, out var one) && one.Deleting && controller.Pods.TryGetValue(2, out var two) && two.Deleting,
            "pods 1 and 2 terminating together");
    }

    [Fact]
    public async Task OrderedReady_scale_down_deletes_the_highest_pod_and_waits_until_it_is_gone()
    {
        var gate = Path.Combine(work, "ready-gate");
        File.WriteAllText(gate, "");
        PutStatefulSet(replicas: 3, policy: "OrderedReady", marker: "a", readinessFile: gate, gracePeriod: 30, preStop: ["/bin/sleep", "300"]);
        await Until(() => controller.Pods.Count == 3, "three pods");

        PutStatefulSet(replicas: 1, policy: "OrderedReady", marker: "a", readinessFile: gate, gracePeriod: 30, preStop: ["/bin/sleep", "300"]);

        var together = false;
        await Until(() =>
        {
            var pods = controller.Pods;
            together |= pods.TryGetValue(1, out var one) && one.Deleting && pods.ContainsKey(2);
            return !pods.ContainsKey(1) && !pods.ContainsKey(2);
        }, "pods 1 and 2 gone");

        together.Should().BeFalse("pod 1 is deleted only once pod 2 is gone");
    }

    // stateful_set_control.go (v1.35), processReplica: OrderedReady is monotonic, so a sync stops at the first
    // replica that is not Running and Ready; neither a rolling update nor a scale-down goes past it.
    [Fact]
    public async Task OrderedReady_neither_updates_nor_scales_down_while_a_lower_pod_is_not_ready()
    {
        void EachPodReadyByItsOwnFile(V1Container c)
        {
            c.Env = [new V1EnvVar { Name = "READY", Value = "/data/ready" }];
            c.ReadinessProbe = new V1Probe { Exec = new V1ExecAction { Command = ["/bin/sh", "-c", "test -e \"$READY\""] }, PeriodSeconds = 1 };
        }
        string Ready(int ordinal) => Path.Combine(cluster.PvcDir($"data-demo-om-{ordinal}"), "ready");
        PutStatefulSet(replicas: 3, policy: "OrderedReady", marker: "a", shape: EachPodReadyByItsOwnFile);
        for (var ordinal = 0; ordinal < 3; ordinal++)
        {
            await Until(() => controller.Pods.ContainsKey(ordinal), $"pod {ordinal}");
            File.WriteAllText(Ready(ordinal), "");
        }
        await Until(() => Twin.RolledOut(Sts()), "three ready pods");
        var first = Status()!["updateRevision"]!.GetValue<string>();

        File.Delete(Ready(0));
        await Until(() => Status()?["readyReplicas"]?.GetValue<int>() == 2, "pod 0 not ready");
        PutStatefulSet(replicas: 2, policy: "OrderedReady", marker: "b", shape: EachPodReadyByItsOwnFile);
        await Until(() => Status()?["observedGeneration"]?.GetValue<long>() == 2, "the new generation observed");
        await controller.SyncedAsync(CancellationToken.None);
        await controller.SyncedAsync(CancellationToken.None);

        controller.Pods.Keys.Should().BeEquivalentTo([0, 1, 2], "pod 2 is not scaled away while pod 0 is not ready");
        controller.Pods.Values.Select(p => p.Revision).Should().AllBe(first, "no pod is updated while pod 0 is not ready");

        File.WriteAllText(Ready(0), "");
        await Until(() => Twin.RolledOut(Sts()) && controller.Pods.Count == 2, "the scale-down and the rollout once pod 0 is ready");
        controller.Pods.Values.Select(p => p.Revision).Should().AllBe(Status()!["updateRevision"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_preStop_hook_that_outlasts_the_grace_period_is_cut_short_and_the_pod_goes()
    {
        // Kubernetes docs, "Pod Lifecycle: Termination of Pods": the grace period covers the preStop hook
        // and the SIGTERM wait; a hook still running at its end gets 2 s more, then the container is killed.
        PutStatefulSet(replicas: 1, policy: "Parallel", marker: "a", gracePeriod: 1, preStop: ["/bin/sleep", "300"]);
        await Until(() => controller.Pods.Count == 1, "one pod");

        PutStatefulSet(replicas: 0, policy: "Parallel", marker: "a", gracePeriod: 1, preStop: ["/bin/sleep", "300"]);

        await Until(() => controller.Pods.Count == 0, "the pod gone once its 1 s grace period (and the 2 s extension) ran out, not after the 300 s preStop");
        cluster.Get("v1", "Pod", "demo-om-0").Should().BeNull();
    }

    [Fact]
    public async Task Deleting_the_StatefulSet_stops_its_pods_and_keeps_their_claims_and_volumes()
    {
        PutStatefulSet(replicas: 2, policy: "Parallel", marker: "a");
        await Until(() => controller.Pods.Count == 2, "two pods");
        File.WriteAllText(Path.Combine(cluster.PvcDir("data-demo-om-1"), "kept"), "data");
        cluster.Get("v1", "PersistentVolumeClaim", "data-demo-om-1").Should().NotBeNull("the controller creates the claim of each pod");

        cluster.Delete("apps/v1", "StatefulSet", "demo-om");

        await Until(() => controller.Pods.Count == 0, "no pods");
        cluster.Get("v1", "Pod", "demo-om-0").Should().BeNull();
        cluster.Get("v1", "PersistentVolumeClaim", "data-demo-om-0").Should().NotBeNull("whenDeleted: Retain is the default");
        File.ReadAllText(Path.Combine(cluster.PvcDir("data-demo-om-1"), "kept")).Should().Be("data");
    }

    [Fact]
    public async Task A_changed_pod_template_rolls_the_pods_in_reverse_ordinal_order()
    {
        PutStatefulSet(replicas: 3, policy: "Parallel", marker: "a");
        await Until(() => controller.Pods.Count == 3 && controller.Starts.Values.Sum() == 3, "three pods");
        var order = new List<string>();
        // Creations only: the kubelet's status writes and the deletion mark are writes to pods that exist.
        var seen = cluster.Api.Store.List(Cluster.Kind("v1", "Pod"), "default").Select(p => p["metadata"]!["uid"]!.GetValue<string>()).ToHashSet();
        cluster.Api.Store.Changed += (resource, _, name, obj) =>
        {
            if (resource.Kind == "Pod" && obj is not null) lock (order) { if (seen.Add(obj["metadata"]!["uid"]!.GetValue<string>())) order.Add(name); }
        };

        PutStatefulSet(replicas: 3, policy: "Parallel", marker: "b");
        await Until(() => { lock (order) return order.Count == 3; }, "three pods recreated");

        order.Should().Equal("demo-om-2", "demo-om-1", "demo-om-0");
    }

    [Fact]
    public async Task The_status_gets_a_new_update_revision_for_a_new_template_and_the_current_revision_catches_up_only_after_the_rollout()
    {
        var gate = Path.Combine(work, "ready-gate");
        File.WriteAllText(gate, "");
        PutStatefulSet(replicas: 3, policy: "Parallel", marker: "a", readinessFile: gate);
        await Until(() => Status()?["readyReplicas"]?.GetValue<int>() == 3 && Twin.RolledOut(Sts()), "three ready pods");
        var first = Status()!["updateRevision"]!.GetValue<string>();
        Sts()["metadata"]!["generation"]!.GetValue<long>().Should().Be(1);
        Status()!["currentRevision"]!.GetValue<string>().Should().Be(first);

        // Not ready pods hold the rollout after its first replacement (the highest ordinal).
        File.Delete(gate);
        await Until(() => Status()?["readyReplicas"]?.GetValue<int>() == 0, "no ready pod");
        PutStatefulSet(replicas: 3, policy: "Parallel", marker: "b", readinessFile: gate);
        Sts()["metadata"]!["generation"]!.GetValue<long>().Should().Be(2);
        await Until(() => Status()?["observedGeneration"]?.GetValue<long>() == 2 && Status()?["updatedReplicas"]?.GetValue<int>() == 1, "the new generation observed");
        await controller.SyncedAsync(CancellationToken.None);
        await controller.SyncedAsync(CancellationToken.None);

        var rolling = Status()!;
        rolling["updateRevision"]!.GetValue<string>().Should().NotBe(first);
        rolling["currentRevision"]!.GetValue<string>().Should().Be(first, "pods 0 and 1 still run the old template");
        rolling["updatedReplicas"]!.GetValue<int>().Should().Be(1);
        rolling["currentReplicas"]!.GetValue<int>().Should().Be(2);
        controller.Pods.Keys.Should().BeEquivalentTo([0, 1, 2]);
        Twin.RolledOut(Sts()).Should().BeFalse();

        File.WriteAllText(gate, "");
        await Until(() => Twin.RolledOut(Sts()), "the rollout to finish");
        var done = Status()!;
        done["currentRevision"]!.GetValue<string>().Should().Be(done["updateRevision"]!.GetValue<string>());
        done["updatedReplicas"]!.GetValue<int>().Should().Be(3);
        done["observedGeneration"]!.GetValue<long>().Should().Be(2);
        controller.Starts.Values.Sum().Should().Be(6, "three first starts and one restart per pod");
    }

    [Fact]
    public async Task A_pod_template_left_alone_keeps_the_revision_and_a_scale_up_is_rolled_out_when_the_new_pod_is_ready()
    {
        PutStatefulSet(replicas: 1, policy: "Parallel", marker: "a");
        await Until(() => Twin.RolledOut(Sts()), "one ready pod");
        var revision = Status()!["updateRevision"]!.GetValue<string>();

        PutStatefulSet(replicas: 2, policy: "Parallel", marker: "a");
        Twin.RolledOut(Sts()).Should().BeFalse("the controller has not observed generation 2 yet");
        await Until(() => Twin.RolledOut(Sts()), "two ready pods");

        Status()!["updateRevision"]!.GetValue<string>().Should().Be(revision);
        Status()!["readyReplicas"]!.GetValue<int>().Should().Be(2);
        controller.Starts.Values.Sum().Should().Be(2, "a scale-up restarts no one");
    }

    [Fact]
    public async Task An_exited_container_is_restarted_and_counted()
    {
        PutStatefulSet(replicas: 1, policy: "Parallel", marker: "a");
        await Until(() => controller.Pods.Count == 1, "one pod");

        controller.KillContainer(0);

        await Until(() => controller.Starts.GetValueOrDefault("demo-om-0") == 2, "a restart");
    }

    // Kubernetes docs "Configure Liveness, Readiness and Startup Probes" and pkg/kubelet/prober/worker.go: a
    // liveness failure past failureThreshold kills the container (kuberuntime_container.go killContainer runs
    // preStop first) and the kubelet restarts it in the same pod.
    [Fact]
    public async Task A_container_whose_liveness_probe_keeps_failing_is_stopped_through_its_preStop_and_restarted_in_the_same_pod()
    {
        var alive = Path.Combine(work, "alive");
        var stopped = Path.Combine(work, "prestop-ran");
        File.WriteAllText(alive, "");
        PutStatefulSet(replicas: 1, policy: "Parallel", marker: "a", preStop: ["/bin/sh", "-c", $"echo stopped >> {stopped}"], shape: c =>
            c.LivenessProbe = new V1Probe { Exec = new V1ExecAction { Command = ["/usr/bin/test", "-e", alive] }, PeriodSeconds = 1, FailureThreshold = 3 });
        await Until(() => controller.IsReady(0), "a ready pod");
        var uid = cluster.Get("v1", "Pod", "demo-om-0")!["metadata"]!["uid"]!.GetValue<string>();

        File.Delete(alive);

        await Until(() => controller.Starts["demo-om-0"] >= 2, "the container restarted by the kubelet");
        File.ReadAllText(stopped).Should().StartWith("stopped", "the preStop hook ran before the kill");
        controller.Events.Should().Contain(e => e.Contains("Liveness probe failed 3 times", StringComparison.Ordinal));
        cluster.Get("v1", "Pod", "demo-om-0")!["metadata"]!["uid"]!.GetValue<string>().Should().Be(uid, "the pod stays; only its container restarts");
    }

    [Fact]
    public async Task Liveness_is_not_probed_until_the_startup_probe_has_succeeded()
    {
        var gate = Path.Combine(work, "started-gate");
        var runs = Path.Combine(work, "startup-runs");
        PutStatefulSet(replicas: 1, policy: "Parallel", marker: "a", shape: c =>
        {
            c.StartupProbe = new V1Probe { Exec = new V1ExecAction { Command = ["/bin/sh", "-c", $"echo run >> {runs}; test -e {gate}"] }, PeriodSeconds = 1, FailureThreshold = 1000 };
            c.LivenessProbe = new V1Probe { Exec = new V1ExecAction { Command = ["/bin/false"] }, PeriodSeconds = 1, FailureThreshold = 1 };
        });

        await Until(() => File.Exists(runs) && File.ReadAllLines(runs).Length >= 5, "five startup probe runs");
        controller.Starts["demo-om-0"].Should().Be(1, "a liveness probe that always fails must not run before startup passed");
        controller.IsReady(0).Should().BeFalse("a container that has not started is not ready");

        File.WriteAllText(gate, "");

        await Until(() => controller.Starts["demo-om-0"] >= 2, "the liveness probe, now running, kills the container");
    }

    [Fact]
    public async Task A_startup_probe_that_never_passes_kills_the_container_at_its_failure_threshold()
    {
        PutStatefulSet(replicas: 1, policy: "Parallel", marker: "a", shape: c =>
            c.StartupProbe = new V1Probe { Exec = new V1ExecAction { Command = ["/bin/false"] }, PeriodSeconds = 1, FailureThreshold = 2 });

        await Until(() => controller.Starts.GetValueOrDefault("demo-om-0") >= 2, "a restart after two failed startup probes");

        controller.Events.Should().Contain(e => e.Contains("Startup probe failed 2 times", StringComparison.Ordinal));
        controller.IsReady(0).Should().BeFalse();
    }

    // Docs "Pod Lifecycle: Container restarts"; kuberuntime_manager.go doBackOff: at once, then 10 s, 20 s, … (twin time).
    [Fact]
    public async Task A_container_that_keeps_exiting_is_restarted_after_a_doubling_back_off()
    {
        var starts = Path.Combine(work, "starts");
        PutStatefulSet(replicas: 1, policy: "Parallel", marker: "a", shape: c => c.Args = ["/bin/sh", "-c", $"date +%s.%N >> {starts}; exit 1"]);

        await Until(() => File.Exists(starts) && File.ReadAllLines(starts).Length >= 4, "three restarts");

        var at = File.ReadAllLines(starts).Select(l => double.Parse(l, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        (at[2] - at[1]).Should().BeGreaterThanOrEqualTo(TwinClock.OfSeconds(10).TotalSeconds, "the second restart waits 10 s (twin time) after the exit");
        (at[3] - at[2]).Should().BeGreaterThanOrEqualTo(TwinClock.OfSeconds(20).TotalSeconds, "the third waits 20 s");
        controller.Pods[0].Backoff.Applied.Take(3).Should().Equal(TimeSpan.Zero, TwinClock.OfSeconds(10), TwinClock.OfSeconds(20));
        controller.Events.Should().Contain(e => e.Contains("CrashLoopBackOff", StringComparison.Ordinal));
    }

    // The StatefulSet gives each pod hostname and subdomain (stateful_set_utils.go updateIdentity), but
    // the name exists only through the EndpointSlice of a headless Service of that name that selects
    // the pod (Kubernetes docs "DNS for Services and Pods", Pods; CoreDNS plugin/kubernetes).
    [Fact]
    public async Task A_StatefulSet_pod_has_no_name_until_its_headless_Service_exists()
    {
        PutStatefulSet(replicas: 1, policy: "Parallel", marker: "a");
        await Until(() => controller.Pods.Count == 1 && controller.IsReady(0), "pod 0 running and ready");
        await controller.SyncedAsync(CancellationToken.None);
        Hosts().Should().NotContain("demo-om-0.demo-om-headless", "no Service named by serviceName exists");

        PutHeadlessService(publishNotReady: true);

        Hosts().Should().Contain($"\"demo-om-0.demo-om-headless.default.svc.cluster.local\":\"{controller.IpOf(0)}\"");
    }

    // podToEndpoint: a pod is ready behind a Service without publishNotReadyAddresses only once its
    // Ready condition is true, which the kubelet writes from the readiness probe.
    [Fact]
    public async Task A_StatefulSet_pod_gets_its_name_behind_a_Service_without_publishNotReadyAddresses_only_once_ready()
    {
        var gate = Path.Combine(work, "ready-gate");
        PutHeadlessService(publishNotReady: false);
        PutStatefulSet(replicas: 1, policy: "Parallel", marker: "a", readinessFile: gate);
        await Until(() => controller.Pods.TryGetValue(0, out var pod) && pod.Probes.Any(p => p.Kind == ProbeKind.Readiness && p.RanAt > DateTime.MinValue), "pod 0 probed");
        await controller.SyncedAsync(CancellationToken.None);
        Hosts().Should().NotContain("demo-om-0.demo-om-headless", "pod 0 is not ready");

        File.WriteAllText(gate, "");

        await Until(() => Hosts().Contains("demo-om-0.demo-om-headless"), "pod 0 named once ready");
    }

    [Fact]
    public async Task A_pod_name_resolves_only_while_the_pod_exists_or_a_stand_in_slice_names_it()
    {
        PutHeadlessService(publishNotReady: true);
        PutStatefulSet(replicas: 2, policy: "Parallel", marker: "a");
        await Until(() => Hosts().Contains("demo-om-1.demo-om-headless"), "pod 1 resolvable");

        PutStatefulSet(replicas: 1, policy: "Parallel", marker: "a");
        await Until(() => !Hosts().Contains("demo-om-1.demo-om-headless"), "pod 1 gone from DNS");
        cluster.Put(JsonNode.Parse("""
            {"apiVersion":"discovery.k8s.io/v1","kind":"EndpointSlice","metadata":{"name":"demo-om-1-stand-in","labels":{"kubernetes.io/service-name":"demo-om-headless"}},
             "addressType":"IPv4","endpoints":[{"addresses":["127.0.0.9"],"hostname":"demo-om-1"}]}
            """)!.AsObject());

        Hosts().Should().Contain("\"demo-om-1.demo-om-headless.default.svc.cluster.local\":\"127.0.0.9\"");
    }

    // Kubernetes docs, "ConfigMaps": a mounted ConfigMap is updated at the kubelet's next sync
    // (syncFrequency, 1m) plus its cache's delay, not when the object changes.
    [Fact]
    public async Task A_changed_configmap_reaches_the_mounted_directory_of_a_running_pod_at_the_kubelets_next_sync()
    {
        cluster.Put(JsonNode.Parse("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"demo-config"},"data":{"membership.yaml":"replicas: 1\n"}}""")!.AsObject());
        PutStatefulSet(replicas: 1, policy: "Parallel", marker: "a");
        await Until(() => controller.Pods.Count == 1, "one pod");
        var file = Path.Combine(controller.Pods[0].Sandbox.Volumes["config"], "membership.yaml");
        File.ReadAllText(file).Should().Be("replicas: 1\n");

        cluster.Put(JsonNode.Parse("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"demo-config"},"data":{"membership.yaml":"replicas: 2\n"}}""")!.AsObject());
        controller.SyncConfigMapsLater();

        File.ReadAllText(file).Should().Be("replicas: 1\n", "the kubelet has not synced the pod yet");
        await Until(() => File.ReadAllText(file) == "replicas: 2\n", "the kubelet's sync");
    }

    [Fact]
    public void Hooks_run_by_weight_then_name_and_only_for_their_event()
    {
        var manifest = string.Join("\n---\n",
            Job("b-wipe", "post-upgrade", 99), Job("a-wipe", "post-upgrade", 97), Job("scale-in", "pre-upgrade,pre-rollback", 0),
            """
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: hook-membership
              annotations:
                helm.sh/hook: pre-upgrade
                helm.sh/hook-weight: "-10"
            """,
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: plain\n");

        var (resources, hooks) = HelmRelease.Split(manifest);

        resources.Select(r => ((IMetadata<V1ObjectMeta>)r).Metadata.Name).Should().Equal("plain");
        HelmRelease.HooksFor(hooks, "pre-upgrade").Select(h => ((IMetadata<V1ObjectMeta>)h).Metadata.Name).Should().Equal("hook-membership", "scale-in");
        HelmRelease.HooksFor(hooks, "post-upgrade").Select(h => ((IMetadata<V1ObjectMeta>)h).Metadata.Name).Should().Equal("a-wipe", "b-wipe");
        HelmRelease.HooksFor(hooks, "pre-rollback").Select(h => ((IMetadata<V1ObjectMeta>)h).Metadata.Name).Should().Equal("scale-in");
    }

    // Helm pkg/action/hooks.go: sort.Stable(hookByWeight) compares weight, then name; the hooks come
    // sorted by kind in InstallOrder (pkg/releaseutil/kind_sorter.go), which decides only between equal names.
    [Fact]
    public void Hooks_of_one_weight_run_by_name_and_only_equal_names_by_Helms_kind_order()
    {
        static string Hook(string kind, string name) => $"apiVersion: {(kind.StartsWith("Role", StringComparison.Ordinal) ? "rbac.authorization.k8s.io/v1" : "v1")}\nkind: {kind}\nmetadata:\n  name: {name}\n  annotations:\n    helm.sh/hook: pre-upgrade\n";
        var manifest = string.Join("\n---\n",
            Hook("ConfigMap", "b-config"), Job("a-job", "pre-upgrade", 0),
            Hook("RoleBinding", "hooks"), Hook("Role", "hooks"), Hook("ServiceAccount", "hooks"));

        var (_, hooks) = HelmRelease.Split(manifest);

        HelmRelease.HooksFor(hooks, "pre-upgrade").Select(h => $"{h.Kind}/{((IMetadata<V1ObjectMeta>)h).Metadata.Name}").Should().Equal(
            "Job/a-job", "ConfigMap/b-config", "ServiceAccount/hooks", "Role/hooks", "RoleBinding/hooks");
    }

    [Fact]
    public void Container_paths_map_to_the_pods_volumes_longest_mount_first()
    {
        var spec = new V1PodSpec
        {
            Containers = [new V1Container { Name = "c", VolumeMounts = [new V1VolumeMount { Name = "data", MountPath = "/data" }, new V1VolumeMount { Name = "meta", MountPath = "/data/metadata" }, new V1VolumeMount { Name = "tmp", MountPath = "/tmp" }] }],
            Volumes = [new V1Volume { Name = "data", EmptyDir = new V1EmptyDirVolumeSource() }, new V1Volume { Name = "meta", EmptyDir = new V1EmptyDirVolumeSource() }, new V1Volume { Name = "tmp", EmptyDir = new V1EmptyDirVolumeSource() }],
        };
        var runtime = new PodRuntime(cluster, "/bin/false", "/usr/bin");
        var pod = runtime.Prepare("p-0", "127.0.0.1", spec);

        runtime.MapText(pod, "metadataDir: /data/metadata/om").Should().Be($"metadataDir: {pod.Volumes["meta"]}/om");
        runtime.MapText(pod, "/data/storage").Should().Be($"{pod.Volumes["data"]}/storage");
        runtime.MapText(pod, "/tmp/x").Should().Be($"{pod.Volumes["tmp"]}/x", "even when the host directories themselves live under /tmp");
        runtime.MapText(pod, "/database").Should().Be("/database");
        runtime.MapText(pod, "a=/data b=/data/metadata").Should().Be($"a={pod.Volumes["data"]} b={pod.Volumes["meta"]}", "every path is mapped once, in one pass");
    }

    private static string Job(string name, string hook, int weight) => $"""
        apiVersion: batch/v1
        kind: Job
        metadata:
          name: {name}
          annotations:
            helm.sh/hook: {hook}
            helm.sh/hook-weight: "{weight}"
        spec:
          template:
            spec:
              restartPolicy: Never
              containers:
                - name: c
                  image: x
        """;

    private void PutHeadlessService(bool publishNotReady) => cluster.Put(new JsonObject
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Service",
        ["metadata"] = new JsonObject { ["name"] = "demo-om-headless" },
        ["spec"] = new JsonObject { ["clusterIP"] = "None", ["publishNotReadyAddresses"] = publishNotReady, ["selector"] = new JsonObject { ["app"] = "demo" } },
    });

    /// <summary>A StatefulSet whose pods sleep; `marker` changes the template, `readinessFile` gates readiness.</summary>
    private void PutStatefulSet(int replicas, string policy, string marker, string? readinessFile = null, long? gracePeriod = null, string[]? preStop = null, Action<V1Container>? shape = null)
    {
        var sts = new V1StatefulSet
        {
            ApiVersion = "apps/v1",
            Kind = "StatefulSet",
            Metadata = new V1ObjectMeta { Name = "demo-om" },
            Spec = new V1StatefulSetSpec
            {
                Replicas = replicas,
                ServiceName = "demo-om-headless",
                PodManagementPolicy = policy,
                Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "demo" } },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = "demo" }, Annotations = new Dictionary<string, string> { ["marker"] = marker } },
                    Spec = new V1PodSpec
                    {
                        Containers =
                        [
                            new V1Container
                            {
                                Name = "main",
                                Args = ["/bin/sleep", "300"],
                                ReadinessProbe = readinessFile is null ? null : new V1Probe { Exec = new V1ExecAction { Command = ["/usr/bin/test", "-e", readinessFile] } },
                                VolumeMounts = [new V1VolumeMount { Name = "config", MountPath = "/etc/demo" }, new V1VolumeMount { Name = "data", MountPath = "/data" }],
                                Lifecycle = preStop is null ? null : new V1Lifecycle { PreStop = new V1LifecycleHandler { Exec = new V1ExecAction { Command = preStop } } },
                            },
                        ],
                        TerminationGracePeriodSeconds = gracePeriod,
                        Volumes = [new V1Volume { Name = "config", ConfigMap = new V1ConfigMapVolumeSource { Name = "demo-config" } }],
                    },
                },
                VolumeClaimTemplates = [new V1PersistentVolumeClaim { Metadata = new V1ObjectMeta { Name = "data" } }],
            },
        };
        shape?.Invoke(sts.Spec.Template.Spec.Containers[0]);
        cluster.Put(JsonNode.Parse(KubernetesJson.Serialize(sts))!.AsObject());
    }

    private JsonObject Sts() => cluster.Get("apps/v1", "StatefulSet", "demo-om")!;

    private JsonNode? Status() => Sts()["status"];

    private static async Task Until(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (condition()) return;
            await Task.Delay(50);
        }
        throw new TimeoutException(what);
    }
}
