namespace ClusterTwin.Tests;

/// <summary>What the real-cluster mode runs, checked offline (it has no cluster here).</summary>
public sealed class RealClusterCommandsTests
{
    private readonly RealClusterCommands commands = new("ozone", "storage", "/repo/charts/ozone");

    [Fact]
    public void An_upgrade_is_one_helm_upgrade_install_that_waits_with_plain_and_structured_values()
    {
        commands.HelmUpgrade("/w/values.yaml", [("om.replicas", "4"), ("om.env", "[{name: A, value: \"1\"}]")]).Should().Equal(
            "upgrade", "--install", "ozone", "/repo/charts/ozone", "--namespace", "storage", "--create-namespace", "-f", "/w/values.yaml",
            "--wait", "--timeout", "300s", "--set", "om.replicas=4", "--set-json", "om.env=[{\"name\":\"A\",\"value\":\"1\"}]");
        commands.HelmUpgrade("/w/values.yaml", [("om.replicas", "4")], wait: false).Should().Equal(
            "upgrade", "--install", "ozone", "/repo/charts/ozone", "--namespace", "storage", "--create-namespace", "-f", "/w/values.yaml",
            "--timeout", "300s", "--set", "om.replicas=4");
        commands.HelmUpgrade("/w/values.yaml", [("om.replicas", "4")], timeout: TimeSpan.FromMinutes(13), atomic: true).Should().Equal(
            "upgrade", "--install", "ozone", "/repo/charts/ozone", "--namespace", "storage", "--create-namespace", "-f", "/w/values.yaml",
            "--wait", "--timeout", "780s", "--atomic", "--set", "om.replicas=4");
    }

    [Fact]
    public void An_argo_cd_sync_renders_with_helm_template_and_no_cluster_access()
    {
        var args = commands.HelmTemplate("/w/values.yaml", [("om.replicas", "5")]);

        args.Should().Equal("template", "ozone", "/repo/charts/ozone", "--namespace", "storage", "-f", "/w/values.yaml", "--kube-version", "1.35.0", "--set", "om.replicas=5");
        args.Should().NotContain(a => a.StartsWith("--kubeconfig", StringComparison.Ordinal) || a.StartsWith("--dry-run", StringComparison.Ordinal));
    }

    [Fact]
    public void A_sync_applies_hooks_and_resources_with_kubectl_and_watches_jobs_and_the_om_rollout()
    {
        commands.Apply("/w/sync-resources.yaml").Should().Equal("--namespace", "storage", "apply", "-f", "/w/sync-resources.yaml");
        commands.DeleteIfPresent("Job", "ozone-om-scale-in").Should().Equal("--namespace", "storage", "delete", "job", "ozone-om-scale-in", "--ignore-not-found", "--wait=true");
        commands.JobConditions("ozone-om-scale-in").Should().Equal("--namespace", "storage", "get", "job", "ozone-om-scale-in", "-o",
            "jsonpath={range .status.conditions[*]}{.type}={.status}{\"\\n\"}{end}");
        commands.OmRolloutStatus().Should().Equal("--namespace", "storage", "rollout", "status", "statefulset/ozone-om", "--timeout", "30m");
    }

    [Theory]
    [InlineData(null, 1L, 1)]
    [InlineData(3L, 3L, 0)]
    [InlineData(3L, 5L, 2)]
    [InlineData(3L, null, 0)]
    public void Leader_changes_on_a_real_cluster_are_the_growth_of_the_Raft_term(long? before, long? after, int changes)
    {
        RealClusterRunner.LeaderChanges(before, after).Should().Be(changes);
    }

    [Theory]
    [InlineData("", null)]
    [InlineData("SuccessCriteriaMet=True\nComplete=True\n", true)]
    [InlineData("FailureTarget=True\nFailed=True\n", false)]
    [InlineData("Suspended=False\n", null)]
    public void A_hook_job_is_done_when_complete_and_failed_when_failed(string conditions, bool? outcome)
    {
        RealClusterSync.JobOutcome(conditions).Should().Be(outcome);
    }

    [Fact]
    public void A_rollback_names_the_revision_and_waits()
    {
        commands.HelmRollback(1).Should().Equal("rollback", "ozone", "1", "--namespace", "storage", "--wait", "--timeout", "300s");
    }

    [Fact]
    public void The_ring_is_read_with_om_lifecycle_status_through_kubectl_exec_in_the_om_container()
    {
        commands.Status(0).Should().Equal("--namespace", "storage", "exec", "ozone-om-0", "-c", "om", "--", "/opt/om-lifecycle/om-lifecycle", "status", "--output", "json");
        commands.TransferLeader("ozone-om-6").Should().Equal("--namespace", "storage", "exec", "ozone-om-0", "-c", "om", "--", "/opt/om-lifecycle/om-lifecycle", "transfer-leader", "--to", "ozone-om-6");
    }

    [Fact]
    public void Keys_go_through_the_real_ozone_cli_in_an_om_pod()
    {
        commands.PutKey("/twin/bucket/step-1").Should().Equal("--namespace", "storage", "exec", "ozone-om-0", "-c", "om", "--", "ozone", "sh", "key", "put", "/twin/bucket/step-1", "/etc/hostname");
        commands.CatKey("/twin/bucket/step-1").TakeLast(5).Should().Equal("ozone", "sh", "key", "cat", "/twin/bucket/step-1");
    }

    [Fact]
    public void Pods_and_the_ring_record_are_read_with_kubectl_by_the_release_labels()
    {
        commands.DeletePod("ozone-om-2").Should().Equal("--namespace", "storage", "delete", "pod", "ozone-om-2", "--wait=false");
        commands.RestartCounts().Should().Contain("app.kubernetes.io/instance=ozone,app.kubernetes.io/component=om");
        commands.RingRecord().Should().Equal("--namespace", "storage", "get", "configmap", "ozone-om-ring", "-o", "jsonpath={.data}");
    }

    [Fact]
    public void An_uninstall_waits_and_volumes_are_deleted_by_the_release_and_component_labels()
    {
        commands.HelmUninstall().Should().Equal("uninstall", "ozone", "--namespace", "storage", "--wait", "--timeout", "10m");
        commands.DeleteVolumes("all").Should().Equal("--namespace", "storage", "delete", "pvc", "-l", "app.kubernetes.io/instance=ozone", "--wait=true");
        commands.DeleteVolumes("scm").Should().Equal("--namespace", "storage", "delete", "pvc", "-l", "app.kubernetes.io/instance=ozone,app.kubernetes.io/component=scm", "--wait=true");
    }

    [Fact]
    public void An_eviction_goes_through_the_eviction_subresource_as_kubectl_drain_does()
    {
        commands.EvictPod("ozone-om-1", "/w/e.json").Should().Equal("create", "--raw", "/api/v1/namespaces/storage/pods/ozone-om-1/eviction", "-f", "/w/e.json");
        var body = System.Text.Json.Nodes.JsonNode.Parse(commands.EvictionBody("ozone-om-1"))!;
        body["kind"]!.GetValue<string>().Should().Be("Eviction");
        body["apiVersion"]!.GetValue<string>().Should().Be("policy/v1");
        body["metadata"]!["name"]!.GetValue<string>().Should().Be("ozone-om-1");
        body["metadata"]!["namespace"]!.GetValue<string>().Should().Be("storage");
    }

    [Fact]
    public void Om_logs_are_read_from_the_om_container_now_and_before_its_last_restart()
    {
        commands.OmPodNames().Should().Contain("app.kubernetes.io/instance=ozone,app.kubernetes.io/component=om");
        commands.OmLog("ozone-om-1", previous: false).Should().Equal("--namespace", "storage", "logs", "ozone-om-1", "-c", "om");
        commands.OmLog("ozone-om-1", previous: true).Should().Equal("--namespace", "storage", "logs", "ozone-om-1", "-c", "om", "--previous");
    }

    // Helm 4.1 pkg/action/get_metadata.go: `applyMethod` ("ssa", "csa"), left out when empty (a revision Helm 3 wrote).
    [Theory]
    [InlineData("""{"name":"ozone","revision":2,"status":"deployed","applyMethod":"ssa"}""", "ssa")]
    [InlineData("""{"name":"ozone","revision":2,"status":"deployed","applyMethod":"csa"}""", "csa")]
    [InlineData("""{"name":"ozone","revision":1,"status":"deployed"}""", "csa")]
    public void The_apply_method_is_read_from_helm_get_metadata(string json, string method)
    {
        commands.HelmGetMetadata().Should().Equal("get", "metadata", "ozone", "--namespace", "storage", "-o", "json");
        RealClusterCommands.ApplyMethodOf(json).Should().Be(method);
    }

    [Fact]
    public void A_release_without_ozone_in_its_name_gets_the_chart_suffix_as_the_chart_names_it()
    {
        new RealClusterCommands("prod", "ns", "c").OmPod(3).Should().Be("prod-ozone-om-3");
    }
}
