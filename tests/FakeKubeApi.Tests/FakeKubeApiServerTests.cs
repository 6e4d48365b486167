using k8s;
using k8s.Models;

namespace FakeKubeApi.Tests;

public sealed class FakeKubeApiServerTests : IDisposable
{
    private readonly FakeKubeApiServer server = new();
    private readonly string dir = Directory.CreateTempSubdirectory("fakekube").FullName;

    public void Dispose()
    {
        server.Dispose();
        Directory.Delete(dir, recursive: true);
    }

    public static TheoryData<string> Helms() => new() { "helm3", "helm4" };

    [Theory]
    [MemberData(nameof(Helms))]
    public async Task Helm_lookup_under_dry_run_server_reads_the_objects_the_test_put_there(string helm)
    {
        server.Store.Add("""{"apiVersion":"apps/v1","kind":"StatefulSet","metadata":{"name":"demo-om","namespace":"ns1"},"spec":{"replicas":5}}""");
        var chart = Path.Combine(dir, "chart");
        Directory.CreateDirectory(Path.Combine(chart, "templates"));
        File.WriteAllText(Path.Combine(chart, "Chart.yaml"), "apiVersion: v2\nname: probe\nversion: 0.1.0\n");
        File.WriteAllText(Path.Combine(chart, "templates", "cm.yaml"), """
            {{- $sts := lookup "apps/v1" "StatefulSet" .Release.Namespace "demo-om" }}
            {{- $missing := lookup "v1" "ConfigMap" .Release.Namespace "absent" }}
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: seen
            data:
              replicas: {{ dig "spec" "replicas" "none" $sts | quote }}
              missing: {{ empty $missing | quote }}
            """);
        var kubeconfig = server.WriteKubeconfig(Path.Combine(dir, "kubeconfig"), "ns1");
        string[] extra = helm == "helm4" ? ["--disable-openapi-validation"] : [];

        var (code, stdout, stderr) = await Tools.RunAsync(Path.Combine(Tools.Dir, helm), ["template", "demo", chart, "--namespace", "ns1", "--kubeconfig", kubeconfig, "--dry-run=server", .. extra]);

        code.Should().Be(0, stderr);
        stdout.Should().Contain("replicas: \"5\"").And.Contain("missing: \"true\"");
        server.Requests.Should().Contain("GET /apis/apps/v1/namespaces/ns1/statefulsets/demo-om");
    }

    [Fact]
    public async Task KubernetesClient_scales_a_statefulset_and_keeps_configmaps()
    {
        server.Store.Add("""{"apiVersion":"apps/v1","kind":"StatefulSet","metadata":{"name":"ozone-om","namespace":"default"},"spec":{"replicas":5}}""");
        var client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(server.WriteKubeconfig(Path.Combine(dir, "kc"))));

        await client.AppsV1.PatchNamespacedStatefulSetScaleAsync(new V1Patch("{\"spec\":{\"replicas\":4}}", V1Patch.PatchType.MergePatch), "ozone-om", "default");
        var created = await client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "ring" }, Data = new Dictionary<string, string> { ["a"] = "1" } }, "default");
        created.Data["b"] = "2";
        await client.CoreV1.ReplaceNamespacedConfigMapAsync(created, "ring", "default");
        var stale = () => client.CoreV1.ReplaceNamespacedConfigMapAsync(created, "ring", "default");

        (await client.AppsV1.ReadNamespacedStatefulSetScaleAsync("ozone-om", "default")).Spec.Replicas.Should().Be(4);
        (await client.CoreV1.ReadNamespacedConfigMapAsync("ring", "default")).Data.Should().Contain("b", "2");
        (await stale.Should().ThrowAsync<k8s.Autorest.HttpOperationException>()).Which.Response.StatusCode.Should().Be(System.Net.HttpStatusCode.Conflict);
        var missing = () => client.CoreV1.ReadNamespacedPodAsync("ozone-om-9", "default");
        (await missing.Should().ThrowAsync<k8s.Autorest.HttpOperationException>()).Which.Response.StatusCode.Should().Be(System.Net.HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_spec_change_counts_the_generation_and_keeps_the_status_that_only_the_status_subresource_writes()
    {
        // Kubernetes v1.35 pkg/registry/apps/statefulset/strategy.go: PrepareForCreate, PrepareForUpdate, statusStrategy.
        var client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(server.WriteKubeconfig(Path.Combine(dir, "kc"))));
        var sts = new V1StatefulSet { Metadata = new V1ObjectMeta { Name = "demo-om" }, Spec = new V1StatefulSetSpec { Replicas = 3, Selector = new V1LabelSelector(), Template = new V1PodTemplateSpec() } };

        var created = await client.AppsV1.CreateNamespacedStatefulSetAsync(sts, "default");
        created.Metadata.Generation.Should().Be(1);
        await client.AppsV1.PatchNamespacedStatefulSetStatusAsync(new V1Patch("""{"status":{"observedGeneration":1,"replicas":3,"readyReplicas":3}}""", V1Patch.PatchType.MergePatch), "demo-om", "default");
        var unchanged = await client.AppsV1.PatchNamespacedStatefulSetAsync(new V1Patch("""{"metadata":{"labels":{"a":"b"}},"status":{"readyReplicas":0}}""", V1Patch.PatchType.MergePatch), "demo-om", "default");
        var scaled = await client.AppsV1.PatchNamespacedStatefulSetAsync(new V1Patch("""{"spec":{"replicas":4}}""", V1Patch.PatchType.MergePatch), "demo-om", "default");

        unchanged.Metadata.Generation.Should().Be(1, "labels are not spec");
        unchanged.Status.ReadyReplicas.Should().Be(3, "a write to the main resource does not change the status");
        scaled.Metadata.Generation.Should().Be(2);
        scaled.Status.ObservedGeneration.Should().Be(1);
        server.Requests.Should().Contain("PATCH /apis/apps/v1/namespaces/default/statefulsets/demo-om/status");
    }

    [Fact]
    public async Task A_read_only_server_refuses_writes()
    {
        using var readOnly = new FakeKubeApiServer(readOnly: true);
        var client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(readOnly.WriteKubeconfig(Path.Combine(dir, "ro"))));

        var create = () => client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "x" } }, "default");

        await create.Should().ThrowAsync<k8s.Autorest.HttpOperationException>();
        readOnly.Store.List(ApiResource.ByKind("v1", "ConfigMap")!, "default").Should().BeEmpty();
    }
}
