using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace FakeKubeApi.Tests;

/// <summary>The spec.replicas ownership rules of Kubernetes' "Server-Side Apply" page, as the fake keeps them.</summary>
public sealed class ReplicaOwnershipTests : IDisposable
{
    private readonly FakeKubeApiServer server = new();
    private readonly string dir = Directory.CreateTempSubdirectory("ownership").FullName;
    private readonly Kubernetes client;
    private readonly ApiResource statefulSets = ApiResource.ByKind("apps/v1", "StatefulSet")!;

    public ReplicaOwnershipTests()
    {
        client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(server.WriteKubeconfig(Path.Combine(dir, "kc"))));
        var sts = JsonNode.Parse("""{"apiVersion":"apps/v1","kind":"StatefulSet","metadata":{"name":"ozone-om","namespace":"default"},"spec":{"replicas":5}}""")!.AsObject();
        ReplicaOwnership.Apply(sts, null, 5, "helm", force: false).Should().BeNull();
        server.Store.Put(statefulSets, "default", sts);
    }

    public void Dispose()
    {
        server.Dispose();
        Directory.Delete(dir, recursive: true);
    }

    private JsonObject Live => server.Store.Get(statefulSets, "default", "ozone-om")!;

    private Task ScaleAsync(int replicas) => client.AppsV1.PatchNamespacedStatefulSetScaleAsync(
        new V1Patch($"{{\"spec\":{{\"replicas\":{replicas}}}}}", V1Patch.PatchType.MergePatch), "ozone-om", "default", fieldManager: "om-lifecycle");

    [Fact]
    public async Task A_scale_write_moves_ownership_to_its_manager_alone()
    {
        await ScaleAsync(4);

        ReplicaOwnership.Owners(Live).Should().Equal("om-lifecycle (Update, scale)");
    }

    [Fact]
    public async Task An_apply_of_the_same_size_shares_ownership_and_the_next_change_then_conflicts()
    {
        await ScaleAsync(3);
        var live = Live;
        ReplicaOwnership.Apply(live, 3, 3, "helm", force: false).Should().BeNull();
        ReplicaOwnership.Owners(live).Should().BeEquivalentTo("om-lifecycle (Update, scale)", "helm (Apply)");

        var conflict = ReplicaOwnership.Apply(live, 3, 5, "helm", force: false);

        conflict.Should().Be("Apply failed with 1 conflict: conflict with \"om-lifecycle\" with subresource \"scale\" using apps/v1: .spec.replicas");
        ReplicaOwnership.Owners(live).Should().BeEquivalentTo("om-lifecycle (Update, scale)", "helm (Apply)");
    }

    [Fact]
    public async Task A_forced_apply_takes_the_field_over()
    {
        await ScaleAsync(3);
        var live = Live;

        ReplicaOwnership.Apply(live, 3, 5, "helm", force: true).Should().BeNull();

        ReplicaOwnership.Owners(live).Should().Equal("helm (Apply)");
    }

    [Fact]
    public async Task Removing_the_managers_entry_by_json_patch_lets_the_next_apply_through()
    {
        await ScaleAsync(3);
        var live = Live;
        var index = live["metadata"]!["managedFields"]!.AsArray().Select((e, i) => (e, i)).Single(x => x.e!["manager"]!.GetValue<string>() == "om-lifecycle").i;
        var patch = $$"""[{"op":"test","path":"/metadata/resourceVersion","value":"{{live["metadata"]!["resourceVersion"]}}"},{"op":"remove","path":"/metadata/managedFields/{{index}}"}]""";

        await client.AppsV1.PatchNamespacedStatefulSetAsync(new V1Patch(patch, V1Patch.PatchType.JsonPatch), "ozone-om", "default");

        var after = Live;
        after["spec"]!["replicas"]!.GetValue<int>().Should().Be(3);
        ReplicaOwnership.Owners(after).Should().BeEmpty();
        ReplicaOwnership.Apply(after, 3, 5, "helm", force: false).Should().BeNull();
    }

    [Fact]
    public async Task A_failed_test_operation_is_refused_with_422_and_changes_nothing()
    {
        await ScaleAsync(3);
        var before = Live;
        var patch = """[{"op":"test","path":"/metadata/resourceVersion","value":"0"},{"op":"remove","path":"/metadata/managedFields/0"}]""";

        var stale = () => client.AppsV1.PatchNamespacedStatefulSetAsync(new V1Patch(patch, V1Patch.PatchType.JsonPatch), "ozone-om", "default");

        (await stale.Should().ThrowAsync<k8s.Autorest.HttpOperationException>()).Which.Response.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        Live.ToJsonString().Should().Be(before.ToJsonString());
    }

    [Fact]
    public async Task A_merge_patch_naming_an_old_resource_version_is_a_conflict()
    {
        var stale = () => client.AppsV1.PatchNamespacedStatefulSetAsync(
            new V1Patch("""{"metadata":{"resourceVersion":"0","labels":{"a":"b"}}}""", V1Patch.PatchType.MergePatch), "ozone-om", "default");

        (await stale.Should().ThrowAsync<k8s.Autorest.HttpOperationException>()).Which.Response.StatusCode.Should().Be(HttpStatusCode.Conflict);
        Live["metadata"]!["labels"].Should().BeNull();
    }
}
