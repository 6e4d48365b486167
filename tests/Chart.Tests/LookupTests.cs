using FakeKubeApi;
using k8s.Models;
using YamlDotNet.RepresentationModel;

namespace Chart.Tests;

/// <summary>
/// Renders with `--dry-run=server` against a read-only fake API server holding the previous OM
/// StatefulSet (and, where needed, the ring record), as `helm upgrade` would see a live release.
/// </summary>
public sealed class LookupTests() : LiveReleaseTests("lookup")
{
    [Theory]
    [MemberData(nameof(Helms))]
    public async Task A_fresh_install_sees_no_previous_ring_and_renders_no_wipe_job(string helm)
    {
        var result = await RenderAsync(helm, replicas: 3);

        var doc = Membership(result);
        Scalar(doc, "previousReplicas").Should().Be("null");
        List(doc, "joining").Should().BeEmpty();
        List(doc, "leaving").Should().BeEmpty();
        WipeJobs(result).Should().BeEmpty();
    }

    [Theory]
    [InlineData("helm3", 3, 4)]
    [InlineData("helm4", 3, 4)]
    [InlineData("helm3", 3, 6)]
    [InlineData("helm4", 3, 6)]
    public async Task Growing_the_ring_lists_the_joiners_in_ordinal_order_and_renders_no_wipe_job(string helm, int from, int to)
    {
        PreviousStatefulSet(from);

        var result = await RenderAsync(helm, to);

        var doc = Membership(result);
        Scalar(doc, "previousReplicas").Should().Be(from.ToString());
        List(doc, "joining").Should().Equal(Enumerable.Range(from, to - from).Select(i => $"ozone-om-{i}"));
        List(doc, "leaving").Should().BeEmpty();
        Nodes(doc).Should().Equal(Enumerable.Range(0, to).Select(i => ($"ozone-om-{i}", $"ozone-om-{i}.ozone-om-headless.default.svc.cluster.local")));
        WipeJobs(result).Should().BeEmpty();
    }

    [Theory]
    [InlineData("helm3", 4, 3)]
    [InlineData("helm4", 4, 3)]
    [InlineData("helm3", 6, 3)]
    [InlineData("helm4", 6, 3)]
    public async Task Shrinking_the_ring_renders_the_scale_in_hook_and_one_wipe_job_per_leaving_node_highest_first(string helm, int from, int to)
    {
        PreviousStatefulSet(from);

        var result = await RenderAsync(helm, to);

        var doc = Membership(result);
        List(doc, "leaving").Should().Equal(Enumerable.Range(to, from - to).Select(i => $"ozone-om-{i}"));
        var scaleIn = result.One<V1Job>("ozone-om-scale-in");
        scaleIn.Metadata.Annotations["helm.sh/hook"].Should().Be("pre-upgrade,pre-rollback");
        scaleIn.Spec.Template.Spec.InitContainers.Select(c => string.Join(' ', c.Args)).Should()
            .Equal("install --to /opt/om-lifecycle", $"/opt/om-lifecycle/om-lifecycle transfer-leader --replicas {to} --if-nodes-leave");
        scaleIn.Spec.Template.Spec.Containers.Single().Args.Should().Equal("/opt/om-lifecycle/om-lifecycle", "scale-in", "--replicas", to.ToString());
        scaleIn.Spec.Template.Spec.ServiceAccountName.Should().Be("ozone-om-lifecycle");

        var wipes = WipeJobs(result);
        wipes.Select(w => w.Node).Should().Equal(Enumerable.Range(to, from - to).Reverse().Select(i => $"ozone-om-{i}"), "highest ordinal first");
        wipes.Select(w => w.Weight).Should().BeInAscendingOrder();
        wipes.Should().AllSatisfy(w => w.Claim.Should().Be($"data-{w.Node}"));
        wipes.Should().AllSatisfy(w => w.Hook.Should().Be("post-upgrade,post-rollback"));
    }

    [Theory]
    [MemberData(nameof(Helms))]
    public async Task A_retry_after_a_failed_shrink_renders_the_wipes_the_ring_record_still_has_pending(string helm)
    {
        PreviousStatefulSet(3);
        Claims(3, 4);
        RingRecordWithPendingWipes("ozone-om-4,ozone-om-3");

        var result = await RenderAsync(helm, 3);

        List(Membership(result), "leaving").Should().BeEmpty("the StatefulSet is already at the new size");
        WipeJobs(result).Select(w => w.Node).Should().Equal("ozone-om-4", "ozone-om-3");
    }

    // A pod naming a claim that does not exist stays Pending (kube-scheduler's VolumeBinding), so a
    // wipe Job for a deleted PVC would hold every later upgrade until its hook timeout. Nothing is
    // left to wipe there.
    [Theory]
    [MemberData(nameof(Helms))]
    public async Task A_pending_wipe_whose_volume_claim_was_deleted_gets_no_wipe_Job(string helm)
    {
        PreviousStatefulSet(3);
        Claims(3);
        RingRecordWithPendingWipes("ozone-om-4,ozone-om-3");

        var result = await RenderAsync(helm, 3);

        WipeJobs(result).Select(w => w.Node).Should().Equal(["ozone-om-3"], "data-ozone-om-4 is gone, data-ozone-om-3 is not");
    }

    // install 3 → upgrade 5 → rollback to 3 (ozone-om-3 and -4 pending wipes) → upgrade 5 again:
    // a wipe Job for a node that is desired again would run against a voter-to-be and be refused.
    [Theory]
    [MemberData(nameof(Helms))]
    public async Task Pending_wipes_of_ordinals_that_are_desired_again_get_no_wipe_Job(string helm)
    {
        PreviousStatefulSet(3);
        Claims(3, 4);
        RingRecordWithPendingWipes("ozone-om-4,ozone-om-3");

        var regrow = await RenderAsync(helm, 5);
        var partly = await RenderAsync(helm, 4);

        WipeJobs(regrow).Should().BeEmpty("ozone-om-3 and ozone-om-4 are desired again; their start wipes stale data itself");
        WipeJobs(partly).Select(w => w.Node).Should().Equal("ozone-om-4");
    }

    [Theory]
    [MemberData(nameof(Helms))]
    public async Task The_same_size_with_changed_configuration_changes_no_membership(string helm)
    {
        PreviousStatefulSet(3);

        var plain = await RenderAsync(helm, 3);
        var changed = await RenderAsync(helm, 3, ("om.env[0].name", "OZONE-SITE.XML_ozone.om.ratis.log.appender.queue.num-elements"), ("om.env[0].value", "2048"));

        changed.One<V1ConfigMap>("ozone-om-membership").Data.Should().Equal(plain.One<V1ConfigMap>("ozone-om-membership").Data);
        WipeJobs(changed).Should().BeEmpty();
        changed.One<V1StatefulSet>("ozone-om").Spec.Template.Spec.Containers[0].Env.Should().Contain(e => e.Value == "2048");
    }

    [Theory]
    [MemberData(nameof(Helms))]
    public async Task A_pure_scale_changes_no_pod_template_of_OMs_SCM_or_datanodes_but_rolls_the_S3_gateway(string helm)
    {
        PreviousStatefulSet(3);

        var three = await RenderAsync(helm, 3);
        var five = await RenderAsync(helm, 5);

        foreach (var name in new[] { "ozone-om", "ozone-scm", "ozone-datanode" })
            Json(five.One<V1StatefulSet>(name).Spec.Template).Should().Be(Json(three.One<V1StatefulSet>(name).Spec.Template), name);
        five.One<V1StatefulSet>("ozone-s3g").Spec.Template.Metadata.Annotations["checksum/om-membership"].Should()
            .NotBe(three.One<V1StatefulSet>("ozone-s3g").Spec.Template.Metadata.Annotations["checksum/om-membership"]);
    }

    [Theory]
    [MemberData(nameof(Helms))]
    public async Task A_replica_change_without_persistence_is_refused_naming_the_value_and_the_fix(string helm)
    {
        PreviousStatefulSet(3);

        var result = await Helm.TemplateAsync(helm, new Dictionary<string, string> { ["om.replicas"] = "5" }, kubeconfig: Kubeconfig);

        result.ExitCode.Should().NotBe(0);
        result.Stderr.Should().Contain("om.replicas changes from 3 to 5").And.Contain("om.persistence.enabled=true");
    }

    [Fact]
    public async Task Without_lookup_helm_template_renders_the_reconcile_view_with_an_unknown_previous_size()
    {
        var result = await Helm.TemplateAsync("helm4", RenderMatrixTests.Values("om.replicas=5,om.persistence.enabled=true,scm.persistence.enabled=true,datanode.persistence.enabled=true"));

        Scalar(Membership(result), "previousReplicas").Should().Be("null");
        WipeJobs(result).Should().BeEmpty();
        result.One<V1Job>("ozone-om-scale-in").Spec.Template.Spec.Containers.Single().Args.Should().Contain("5");
    }

    // Helm's default --timeout is 5m; four removals take 4-8 minutes (docs/scaling.md).
    [Theory]
    [MemberData(nameof(Helms))]
    public async Task The_notes_of_a_shrink_give_the_timeout_it_needs_and_say_a_rerun_is_safe(string helm)
    {
        PreviousStatefulSet(7);

        var install = await Helm.InstallDryRunAsync(helm, "server", Kubeconfig, new Dictionary<string, string> { ["om.replicas"] = "3", ["om.persistence.enabled"] = "true" });

        install.ExitCode.Should().Be(0, install.Stderr);
        Helm.Notes(install).Should().Contain("4 OM(s) leave").And.Contain("--timeout 13m").And.Contain("run the same helm upgrade again");
    }

    /// <summary>The ring record as scale-in leaves it: these nodes decommissioned, their volumes not wiped yet.</summary>
    private void RingRecordWithPendingWipes(string nodes) =>
        Server.Store.Add($$$"""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"ozone-om-ring","namespace":"default"},"data":{"pendingWipe":"{{{nodes}}}","decommissioned":"{{{nodes}}}"}}""");

    /// <summary>The OM PVCs (data-ozone-om-N) that exist: a StatefulSet's claims stay after a scale-down.</summary>
    private void Claims(params int[] ordinals)
    {
        foreach (var o in ordinals)
            Server.Store.Add($$$"""{"apiVersion":"v1","kind":"PersistentVolumeClaim","metadata":{"name":"data-ozone-om-{{{o}}}","namespace":"default"},"spec":{}}""");
    }

    /// <summary>The live OM StatefulSet of the release with the claims of its pods.</summary>
    private void PreviousStatefulSet(int replicas)
    {
        Claims([.. Enumerable.Range(0, replicas)]);
        LiveStatefulSet("ozone-om", replicas, volumeSize: "10Gi");
    }

    private async Task<Helm.Result> RenderAsync(string helm, int replicas, params (string Key, string Value)[] extra)
    {
        var set = new Dictionary<string, string> { ["om.replicas"] = replicas.ToString(), ["om.persistence.enabled"] = "true", ["scm.persistence.enabled"] = "true", ["datanode.persistence.enabled"] = "true" };
        foreach (var (k, v) in extra) set[k] = v;
        var result = await Helm.TemplateAsync(helm, set, kubeconfig: Kubeconfig);
        result.ExitCode.Should().Be(0, result.Stderr);
        return result;
    }

    private static YamlMappingNode Membership(Helm.Result result)
    {
        var text = result.One<V1ConfigMap>("ozone-om-membership").Data["membership.yaml"];
        result.One<V1ConfigMap>("ozone-om-lifecycle").Data["membership.yaml"].Should().Be(text, "the hook Jobs carry the same new membership");
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    private static string Scalar(YamlMappingNode doc, string key) => ((YamlScalarNode)doc[key]).Value!;

    private static List<string> List(YamlMappingNode doc, string key) =>
        ((YamlSequenceNode)doc[key]).Children.Select(c => ((YamlScalarNode)c).Value!).ToList();

    private static List<(string, string)> Nodes(YamlMappingNode doc) =>
        ((YamlSequenceNode)doc["nodes"]).Children.Cast<YamlMappingNode>().Select(n => (Scalar(n, "id"), Scalar(n, "host"))).ToList();

    private static List<(string Node, int Weight, string Claim, string Hook)> WipeJobs(Helm.Result result) =>
        result.All<V1Job>().Where(j => j.Metadata.Name.StartsWith("ozone-om-wipe-"))
            .Select(j => (
                Node: j.Spec.Template.Spec.Containers.Single().Args.Last(),
                Weight: int.Parse(j.Metadata.Annotations["helm.sh/hook-weight"]),
                Claim: j.Spec.Template.Spec.Volumes.Single(v => v.Name == "data").PersistentVolumeClaim.ClaimName,
                Hook: j.Metadata.Annotations["helm.sh/hook"]))
            .OrderBy(w => w.Weight).ToList();

    private static string Json(object o) => k8s.KubernetesJson.Serialize(o);
}
