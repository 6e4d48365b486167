using System.Text.Json.Nodes;

namespace FakeKubeApi;

/// <summary>
/// The RBAC authorizer (k8s.io/kubernetes plugin/pkg/auth/authorizer/rbac/rbac.go and
/// pkg/apis/rbac/v1/evaluation_helpers.go, Kubernetes 1.35) over the Roles, ClusterRoles and their
/// bindings in the store, for service-account callers:
/// - a request is allowed when any rule of any role bound to the caller allows it (rules are a
///   union; there is no deny);
/// - a rule matches when its apiGroups, resources ("resource/subresource" for a subresource; "*"
///   any) and verbs contain the request's, and its resourceNames are empty or contain the request's
///   name; a request without a name (list, create, deletecollection) never matches a rule that
///   lists resourceNames;
/// - a RoleBinding grants its Role (or ClusterRole) in its own namespace; a ClusterRoleBinding grants
///   everywhere.
/// Non-resource requests (/version, /api, /apis, /openapi) are allowed, as the bootstrap
/// ClusterRoles system:discovery and system:public-info-viewer grant them to every authenticated user.
/// </summary>
public sealed class RbacAuthorizer(ObjectStore store)
{
    /// <summary>Null when allowed; otherwise the API server's Forbidden message.</summary>
    public string? Check(ServiceAccount caller, RequestAttributes request)
    {
        if (!request.IsResourceRequest) return null;
        if (RulesFor(caller, request.Namespace).Any(rule => Allows(rule, request))) return null;
        // The apiserver's wording (k8s.io/apiserver pkg/endpoints/handlers/responsewriters/errors.go forbiddenMessage).
        var resource = request.Group.Length == 0 ? request.Resource : $"{request.Resource}.{request.Group}";
        var named = request.Name is null ? "" : $" \"{request.Name}\"";
        var scope = request.Namespace is null ? "at the cluster scope" : $"in the namespace \"{request.Namespace}\"";
        var sub = request.Subresource is null ? "" : $"/{request.Subresource}";
        return $"{resource}{sub}{named} is forbidden: User \"{caller.UserName}\" cannot {request.Verb} resource \"{request.Resource}{sub}\" in API group \"{request.Group}\" {scope}";
    }

    private IEnumerable<JsonNode> RulesFor(ServiceAccount caller, string? requestNamespace)
    {
        var roleBindings = requestNamespace is null ? [] : store.List(ApiResource.ByKind("rbac.authorization.k8s.io/v1", "RoleBinding")!, requestNamespace);
        var clusterBindings = store.List(ApiResource.ByKind("rbac.authorization.k8s.io/v1", "ClusterRoleBinding")!, null);
        foreach (var binding in roleBindings.Concat(clusterBindings))
        {
            if (!Binds(binding, caller)) continue;
            var roleRef = binding["roleRef"];
            var kind = roleRef?["kind"]?.GetValue<string>();
            var name = roleRef?["name"]?.GetValue<string>() ?? "";
            var role = kind == "ClusterRole"
                ? store.Get(ApiResource.ByKind("rbac.authorization.k8s.io/v1", "ClusterRole")!, "", name)
                : store.Get(ApiResource.ByKind("rbac.authorization.k8s.io/v1", "Role")!, requestNamespace ?? "", name);
            foreach (var rule in role?["rules"]?.AsArray() ?? []) if (rule is not null) yield return rule;
        }
    }

    private static bool Binds(JsonNode binding, ServiceAccount caller)
    {
        var bindingNamespace = binding["metadata"]?["namespace"]?.GetValue<string>();
        foreach (var subject in binding["subjects"]?.AsArray() ?? [])
        {
            if (subject?["kind"]?.GetValue<string>() != "ServiceAccount") continue;
            // A ServiceAccount subject without a namespace means the binding's own (rbac/v1 defaulting).
            var ns = subject["namespace"]?.GetValue<string>() ?? bindingNamespace;
            if (subject["name"]?.GetValue<string>() == caller.Name && ns == caller.Namespace) return true;
        }
        return false;
    }

    private static bool Allows(JsonNode rule, RequestAttributes request) =>
        Has(rule["apiGroups"], request.Group)
        && Has(rule["verbs"], request.Verb)
        && ResourceMatches(rule["resources"], request)
        && NameMatches(rule["resourceNames"], request.Name);

    private static bool Has(JsonNode? list, string value) =>
        (list?.AsArray() ?? []).Any(v => v?.GetValue<string>() is "*" || v?.GetValue<string>() == value);

    /// <summary>evaluation_helpers.go ResourceMatches: "*", the exact "resource/subresource", or "*/subresource".</summary>
    private static bool ResourceMatches(JsonNode? resources, RequestAttributes request) =>
        (resources?.AsArray() ?? []).Select(r => r?.GetValue<string>()).Any(r =>
            r == "*" || r == request.ResourcePath || (request.Subresource is not null && r == $"*/{request.Subresource}"));

    private static bool NameMatches(JsonNode? names, string? requested)
    {
        var list = names?.AsArray() ?? [];
        if (list.Count == 0) return true;
        return requested is not null && list.Any(n => n?.GetValue<string>() == requested);
    }
}

/// <summary>A service account as the API server authenticates it: user system:serviceaccount:&lt;namespace&gt;:&lt;name&gt;.</summary>
public sealed record ServiceAccount(string Namespace, string Name)
{
    public string UserName => $"system:serviceaccount:{Namespace}:{Name}";

    /// <summary>The bearer token the fake API gives this account (a real token is a signed JWT naming the same).</summary>
    public string Token => $"serviceaccount:{Namespace}:{Name}";

    public static ServiceAccount? FromToken(string? token) =>
        token?.Split(':') is ["serviceaccount", var ns, var name] ? new ServiceAccount(ns, name) : null;
}
