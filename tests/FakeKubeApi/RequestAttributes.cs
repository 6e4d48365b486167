namespace FakeKubeApi;

/// <summary>
/// What a request asks, in the API server's terms (k8s.io/apiserver pkg/endpoints/request/requestinfo.go,
/// Kubernetes 1.35): the verb (get/list/watch/create/update/patch/delete/deletecollection), the API
/// group, the resource and subresource, the namespace and the object's name. Paths outside /api and
/// /apis (/version, /openapi) are non-resource requests. Faults and RBAC both match on these.
/// </summary>
public sealed record RequestAttributes(string Verb, string Path, bool IsResourceRequest, string Group = "", string Resource = "", string? Subresource = null, string? Namespace = null, string? Name = null)
{
    /// <summary>"resource" or "resource/subresource", as RBAC rules and fault rules name it.</summary>
    public string ResourcePath => Subresource is null ? Resource : $"{Resource}/{Subresource}";

    public static RequestAttributes Parse(string httpMethod, string path, bool watch = false)
    {
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        string group;
        string[] rest;
        if (parts is ["api", _, ..]) { group = ""; rest = parts[2..]; }
        else if (parts is ["apis", _, _, ..]) { group = parts[1]; rest = parts[3..]; }
        else return new RequestAttributes(httpMethod.ToLowerInvariant(), path, false);
        // Discovery of a group version (/api/v1, /apis/apps/v1) is a non-resource request.
        if (rest.Length == 0) return new RequestAttributes(httpMethod.ToLowerInvariant(), path, false);
        string? ns = null;
        if (rest is ["namespaces", var n, _, ..]) { ns = n; rest = rest[2..]; }
        var resource = rest[0];
        var name = rest.Length > 1 ? rest[1] : null;
        var sub = rest.Length > 2 ? rest[2] : null;
        var verb = httpMethod switch
        {
            "GET" or "HEAD" => name is null ? (watch ? "watch" : "list") : "get",
            "POST" => "create",
            "PUT" => "update",
            "PATCH" => "patch",
            "DELETE" => name is null ? "deletecollection" : "delete",
            _ => httpMethod.ToLowerInvariant(),
        };
        return new RequestAttributes(verb, path, true, group, resource, sub, ns, name);
    }
}
