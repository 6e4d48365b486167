namespace FakeKubeApi;

/// <summary>One kind the server knows: where it lives in the API and whether it is namespaced.</summary>
public sealed record ApiResource(string Group, string Version, string Kind, string Plural, bool Namespaced = true, string[]? Subresources = null)
{
    public string GroupVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    public string ApiVersion => GroupVersion;

    /// <summary>The kinds a chart of this project renders or om-lifecycle touches.</summary>
    public static readonly IReadOnlyList<ApiResource> All =
    [
        new("", "v1", "ConfigMap", "configmaps"),
        new("", "v1", "Secret", "secrets"),
        new("", "v1", "Service", "services"),
        new("", "v1", "ServiceAccount", "serviceaccounts"),
        new("", "v1", "Pod", "pods"),
        new("", "v1", "PersistentVolumeClaim", "persistentvolumeclaims"),
        new("", "v1", "Event", "events"),
        new("", "v1", "Endpoints", "endpoints"),
        new("", "v1", "Namespace", "namespaces", Namespaced: false),
        new("apps", "v1", "StatefulSet", "statefulsets", Subresources: ["scale", "status"]),
        new("apps", "v1", "Deployment", "deployments", Subresources: ["scale", "status"]),
        new("batch", "v1", "Job", "jobs"),
        new("policy", "v1", "PodDisruptionBudget", "poddisruptionbudgets"),
        new("rbac.authorization.k8s.io", "v1", "Role", "roles"),
        new("rbac.authorization.k8s.io", "v1", "RoleBinding", "rolebindings"),
        new("rbac.authorization.k8s.io", "v1", "ClusterRole", "clusterroles", Namespaced: false),
        new("rbac.authorization.k8s.io", "v1", "ClusterRoleBinding", "clusterrolebindings", Namespaced: false),
        new("discovery.k8s.io", "v1", "EndpointSlice", "endpointslices"),
        new("networking.k8s.io", "v1", "Ingress", "ingresses"),
    ];

    public static ApiResource? ByPath(string groupVersion, string plural) =>
        All.FirstOrDefault(r => r.GroupVersion == groupVersion && r.Plural == plural);

    public static ApiResource? ByKind(string apiVersion, string kind) =>
        All.FirstOrDefault(r => r.ApiVersion == apiVersion && r.Kind == kind);
}
