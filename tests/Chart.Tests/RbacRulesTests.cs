using System.Text.Json.Nodes;
using FakeKubeApi;
using k8s;
using k8s.Models;

namespace Chart.Tests;

/// <summary>
/// The chart's Roles against the API requests om-lifecycle makes (helper/Kubernetes/KubeCluster.cs),
/// judged by the fake API's rbac/v1 authorizer: every request is allowed (the twin enforces the same
/// on every scenario), and every rule is needed: without it some request is refused.
/// </summary>
public sealed class RbacRulesTests
{
    private const string Ns = "default";

    /// <summary>What the OM pods' om-lifecycle (start, probes, preStop's transfer-leader) asks, with the KubeCluster method that asks it.</summary>
    private static readonly (string Method, string Path, string Why)[] OmRequests =
    [
        ("GET", "/api/v1/namespaces/default/configmaps/ozone-om-ring", "ReadRingAsync / UpdateRingAsync read the ring record"),
        ("PUT", "/api/v1/namespaces/default/configmaps/ozone-om-ring", "UpdateRingAsync replaces it"),
        ("POST", "/api/v1/namespaces/default/configmaps", "UpdateRingAsync creates it on first use"),
        ("GET", "/api/v1/namespaces/default/configmaps/ozone-om-membership", "ReadMembershipAsync: start follows the live membership"),
        ("GET", "/apis/apps/v1/namespaces/default/statefulsets/ozone-om/scale", "GetStatefulSetReplicasAsync: how far up the ring may reach"),
        ("GET", "/apis/apps/v1/namespaces/default/statefulsets/ozone-om", "ReadOwnerAsync: the record belongs to this StatefulSet"),
        ("POST", "/api/v1/namespaces/default/events", "RecordEventAsync: preStop's hand-over, refusals"),
    ];

    /// <summary>What the hook Jobs' om-lifecycle (transfer-leader, scale-in, wipe) asks.</summary>
    private static readonly (string Method, string Path, string Why)[] HookRequests =
    [
        ("GET", "/api/v1/namespaces/default/configmaps/ozone-om-ring", "ReadRingAsync"),
        ("PUT", "/api/v1/namespaces/default/configmaps/ozone-om-ring", "UpdateRingAsync: steps, lock, pending wipes"),
        ("POST", "/api/v1/namespaces/default/configmaps", "UpdateRingAsync creates the record"),
        ("GET", "/apis/apps/v1/namespaces/default/statefulsets/ozone-om/scale", "GetStatefulSetReplicasAsync"),
        ("PATCH", "/apis/apps/v1/namespaces/default/statefulsets/ozone-om/scale", "ScaleStatefulSetAsync: stop one leaving pod"),
        ("GET", "/apis/apps/v1/namespaces/default/statefulsets/ozone-om", "ReadOwnerAsync"),
        ("PATCH", "/apis/apps/v1/namespaces/default/statefulsets/ozone-om", "ReleaseReplicasAsync: give spec.replicas back to Helm 4"),
        ("GET", "/api/v1/namespaces/default/pods/ozone-om-4", "PodExistsAsync / PodMayRunAsync: the stopped pod is gone; the lock holder still runs"),
        ("POST", "/api/v1/namespaces/default/events", "RecordEventAsync"),
        ("GET", "/apis/discovery.k8s.io/v1/namespaces/default/endpointslices/ozone-om-4-stand-in", "EnsureStandInAddressAsync reads it first"),
        ("POST", "/apis/discovery.k8s.io/v1/namespaces/default/endpointslices", "EnsureStandInAddressAsync"),
        ("DELETE", "/apis/discovery.k8s.io/v1/namespaces/default/endpointslices/ozone-om-4-stand-in", "RemoveStandInAddressAsync"),
    ];

    public static TheoryData<string> Helms() => new() { "helm3", "helm4" };

    [Theory]
    [MemberData(nameof(Helms))]
    public async Task Every_request_of_om_lifecycle_is_allowed_and_every_rule_is_needed(string helm)
    {
        var (store, roles) = await RenderRbacAsync(helm);
        var om = new ServiceAccount(Ns, "ozone-om");
        var hooks = new ServiceAccount(Ns, "ozone-om-lifecycle");

        Refused(store, om, OmRequests).Should().BeEmpty("the OM pods' Role grants all that start and preStop ask");
        Refused(store, hooks, HookRequests).Should().BeEmpty("the hook Role grants all that the hook commands ask");

        roles.Should().HaveCount(2);
        foreach (var role in roles)
        {
            var name = role["metadata"]!["name"]!.GetValue<string>();
            var (sa, requests) = name == "ozone-om" ? (om, OmRequests) : (hooks, HookRequests);
            var rules = role["rules"]!.AsArray();
            for (var i = 0; i < rules.Count; i++)
            {
                var without = (JsonObject)role.DeepClone();
                without["rules"]!.AsArray().RemoveAt(i);
                store.Put(ApiResource.ByKind("rbac.authorization.k8s.io/v1", "Role")!, Ns, without);
                Refused(store, sa, requests).Should().NotBeEmpty($"rule {i} of Role {name} ({rules[i]!.ToJsonString()}) must be needed by some request, or it grants more than om-lifecycle uses");
            }
            store.Put(ApiResource.ByKind("rbac.authorization.k8s.io/v1", "Role")!, Ns, role);
        }
    }

    private static List<string> Refused(ObjectStore store, ServiceAccount sa, (string Method, string Path, string Why)[] requests) =>
        requests.Where(r => new RbacAuthorizer(store).Check(sa, RequestAttributes.Parse(r.Method, r.Path)) is not null)
            .Select(r => $"{r.Method} {r.Path} ({r.Why})").ToList();

    /// <summary>The Roles and RoleBindings the chart renders with persistence on (hooks exist), in a store.</summary>
    private static async Task<(ObjectStore Store, List<JsonObject> Roles)> RenderRbacAsync(string helm)
    {
        var result = await Helm.TemplateAsync(helm, new Dictionary<string, string>
        {
            ["om.persistence.enabled"] = "true", ["scm.persistence.enabled"] = "true", ["datanode.persistence.enabled"] = "true",
        });
        result.ExitCode.Should().Be(0, result.Stderr);
        var store = new ObjectStore();
        var roles = new List<JsonObject>();
        foreach (var obj in result.Objects.Where(o => o is V1Role or V1RoleBinding or V1ClusterRole or V1ClusterRoleBinding))
        {
            var json = JsonNode.Parse(KubernetesJson.Serialize(obj))!.AsObject();
            store.Add(json.ToJsonString(), Ns);
            if (obj is V1Role) roles.Add(json);
        }
        return (store, roles);
    }
}
