using System.Text.Json.Nodes;
using k8s.Models;
using OmLifecycle.Kubernetes;

namespace OmLifecycle.Tests.Kubernetes;

public sealed class ReplicasOwnershipTests
{
    private static V1ManagedFieldsEntry Entry(string manager, string operation, string? subresource = null) =>
        new() { Manager = manager, Operation = operation, Subresource = subresource, FieldsType = "FieldsV1" };

    [Fact]
    public void Nothing_to_release_when_om_lifecycle_never_scaled()
    {
        var meta = new V1ObjectMeta { ResourceVersion = "7", ManagedFields = [Entry("helm", "Apply"), Entry("kube-controller-manager", "Update", "status")] };

        ReplicasOwnership.ReleasePatch(meta, "om-lifecycle").Should().BeNull();
    }

    [Fact]
    public void Only_om_lifecycle_scale_entries_are_removed_highest_index_first_each_guarded_by_a_test()
    {
        var meta = new V1ObjectMeta
        {
            ResourceVersion = "42",
            ManagedFields = [Entry("helm", "Apply"), Entry("om-lifecycle", "Update", "scale"), Entry("om-lifecycle", "Update"), Entry("om-lifecycle", "Update", "scale")],
        };

        var ops = JsonNode.Parse(ReplicasOwnership.ReleasePatch(meta, "om-lifecycle")!)!.AsArray()
            .Select(o => $"{o!["op"]} {o["path"]} {o["value"]?.GetValue<string>()}".TrimEnd()).ToList();

        ops.Should().Equal(
            "test /metadata/resourceVersion 42",
            "test /metadata/managedFields/3/manager om-lifecycle",
            "remove /metadata/managedFields/3",
            "test /metadata/managedFields/1/manager om-lifecycle",
            "remove /metadata/managedFields/1");
    }
}
