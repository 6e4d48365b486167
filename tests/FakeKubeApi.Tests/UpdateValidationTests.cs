using k8s;
using k8s.Autorest;
using k8s.Models;

namespace FakeKubeApi.Tests;

/// <summary>Kubernetes v1.35 ValidateStatefulSetUpdate: only some spec fields of a StatefulSet may change.</summary>
public sealed class UpdateValidationTests : IDisposable
{
    private readonly FakeKubeApiServer server = new();
    private readonly string dir = Directory.CreateTempSubdirectory("fakekube-validate").FullName;

    public void Dispose()
    {
        server.Dispose();
        Directory.Delete(dir, recursive: true);
    }

    private const string Created = """
        {"apiVersion":"apps/v1","kind":"StatefulSet","metadata":{"name":"ozone-om","namespace":"default"},
         "spec":{"replicas":3,"serviceName":"ozone-om-headless","selector":{"matchLabels":{"app":"om"}},
                 "template":{"metadata":{"labels":{"app":"om"}},"spec":{"containers":[{"name":"om","image":"apache/ozone:2.1.0"}]}},
                 "volumeClaimTemplates":[{"metadata":{"name":"data"},"spec":{"accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"10Gi"}}}}]}}
        """;

    [Fact]
    public async Task Replicas_template_and_update_strategy_may_change()
    {
        server.Store.Add(Created);
        var client = Client();
        var sts = await client.AppsV1.ReadNamespacedStatefulSetAsync("ozone-om", "default");
        sts.Spec.Replicas = 5;
        sts.Spec.Template.Spec.Containers[0].Image = "apache/ozone:2.2.1";
        sts.Spec.UpdateStrategy = new V1StatefulSetUpdateStrategy { Type = "OnDelete" };

        var updated = await client.AppsV1.ReplaceNamespacedStatefulSetAsync(sts, "ozone-om", "default");

        updated.Spec.Replicas.Should().Be(5);
        updated.Spec.Template.Spec.Containers[0].Image.Should().Be("apache/ozone:2.2.1");
    }

    [Theory]
    [InlineData("size")]
    [InlineData("serviceName")]
    [InlineData("no volumes")]
    public async Task Volume_claim_templates_and_the_service_name_may_not_change_and_nothing_is_stored(string change)
    {
        server.Store.Add(Created);
        var client = Client();
        var sts = await client.AppsV1.ReadNamespacedStatefulSetAsync("ozone-om", "default");
        switch (change)
        {
            case "size": sts.Spec.VolumeClaimTemplates[0].Spec.Resources.Requests["storage"] = new ResourceQuantity("20Gi"); break;
            case "serviceName": sts.Spec.ServiceName = "other"; break;
            default: sts.Spec.VolumeClaimTemplates = null; break;
        }
        sts.Spec.Replicas = 4;

        var update = () => client.AppsV1.ReplaceNamespacedStatefulSetAsync(sts, "ozone-om", "default");

        (await update.Should().ThrowAsync<HttpOperationException>()).Which.Response.StatusCode.Should().Be(System.Net.HttpStatusCode.UnprocessableEntity);
        server.Requests.Should().Contain("PUT /apis/apps/v1/namespaces/default/statefulsets/ozone-om");
        var stored = await client.AppsV1.ReadNamespacedStatefulSetAsync("ozone-om", "default");
        stored.Spec.Replicas.Should().Be(3, "a refused update changes nothing");
        stored.Spec.VolumeClaimTemplates.Single().Spec.Resources.Requests["storage"].ToString().Should().Be("10Gi");
    }

    [Fact]
    public void The_refusal_reads_as_the_API_servers()
    {
        server.Store.Add(Created);
        var resource = ApiResource.ByKind("apps/v1", "StatefulSet")!;
        var next = server.Store.Get(resource, "default", "ozone-om")!;
        next["spec"]!["podManagementPolicy"] = "Parallel";

        var write = () => server.Store.Write(resource, "default", next);

        write.Should().Throw<InvalidObjectException>().WithMessage(
            "StatefulSet.apps \"ozone-om\" is invalid: spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden");
    }

    private Kubernetes Client() => new(KubernetesClientConfiguration.BuildConfigFromConfigFile(server.WriteKubeconfig(Path.Combine(dir, "kc"))));
}
