using System.Net;
using System.Net.Http.Headers;

namespace FakeKubeApi.Tests;

/// <summary>
/// RBAC as the rbac/v1 authorizer decides it (k8s.io/kubernetes plugin/pkg/auth/authorizer/rbac,
/// pkg/apis/rbac/v1/evaluation_helpers.go): rules are a union, resourceNames restrict only requests
/// that name an object, a subresource is its own resource, and 403 comes with a Status body.
/// </summary>
public sealed class RbacAuthorizerTests : IDisposable
{
    private readonly FakeKubeApiServer server = new() { EnforceRbac = true };
    private readonly HttpClient http = new() { Timeout = TimeSpan.FromSeconds(5) };
    private readonly string token = new ServiceAccount("ns1", "om").Token;

    public RbacAuthorizerTests()
    {
        server.Store.Add("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"ring","namespace":"ns1"},"data":{}}""");
        server.Store.Add("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"other","namespace":"ns1"},"data":{}}""");
        server.Store.Add("""{"apiVersion":"apps/v1","kind":"StatefulSet","metadata":{"name":"om","namespace":"ns1"},"spec":{"replicas":3}}""");
        server.Store.Add("""
            {"apiVersion":"rbac.authorization.k8s.io/v1","kind":"Role","metadata":{"name":"om","namespace":"ns1"},"rules":[
              {"apiGroups":[""],"resources":["configmaps"],"resourceNames":["ring"],"verbs":["get","update","list"]},
              {"apiGroups":[""],"resources":["configmaps"],"verbs":["create"]},
              {"apiGroups":["apps"],"resources":["statefulsets/scale"],"resourceNames":["om"],"verbs":["get"]}]}
            """);
        server.Store.Add("""
            {"apiVersion":"rbac.authorization.k8s.io/v1","kind":"RoleBinding","metadata":{"name":"om","namespace":"ns1"},
             "roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"Role","name":"om"},
             "subjects":[{"kind":"ServiceAccount","name":"om","namespace":"ns1"}]}
            """);
    }

    public void Dispose()
    {
        http.Dispose();
        server.Dispose();
    }

    private async Task<HttpStatusCode> Send(HttpMethod method, string path, string? as_ = null, string? body = null)
    {
        var request = new HttpRequestMessage(method, server.Url + path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", as_ ?? token);
        if (body is not null) request.Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }

    [Theory]
    [InlineData("GET", "/api/v1/namespaces/ns1/configmaps/ring", HttpStatusCode.OK)]
    [InlineData("GET", "/api/v1/namespaces/ns1/configmaps/other", HttpStatusCode.Forbidden)]
    // resourceNames do not allow a list, even with "list" among the verbs: a list names no object.
    [InlineData("GET", "/api/v1/namespaces/ns1/configmaps", HttpStatusCode.Forbidden)]
    [InlineData("DELETE", "/api/v1/namespaces/ns1/configmaps/ring", HttpStatusCode.Forbidden)]
    [InlineData("GET", "/apis/apps/v1/namespaces/ns1/statefulsets/om/scale", HttpStatusCode.OK)]
    // The subresource rule does not grant the StatefulSet itself, nor a write of the scale.
    [InlineData("GET", "/apis/apps/v1/namespaces/ns1/statefulsets/om", HttpStatusCode.Forbidden)]
    [InlineData("PATCH", "/apis/apps/v1/namespaces/ns1/statefulsets/om/scale", HttpStatusCode.Forbidden)]
    // Another namespace: the RoleBinding grants only in its own.
    [InlineData("GET", "/api/v1/namespaces/ns2/configmaps/ring", HttpStatusCode.Forbidden)]
    // Discovery is open to every authenticated user (system:discovery).
    [InlineData("GET", "/version", HttpStatusCode.OK)]
    public async Task A_bound_service_account_gets_what_its_rules_allow_and_nothing_else(string method, string path, HttpStatusCode expected)
    {
        (await Send(new HttpMethod(method), path)).Should().Be(expected);
    }

    [Fact]
    public async Task Create_is_allowed_by_a_rule_without_resourceNames_and_the_refusal_names_user_verb_and_resource()
    {
        var created = await Send(HttpMethod.Post, "/api/v1/namespaces/ns1/configmaps", body: """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"new"}}""");
        var request = new HttpRequestMessage(HttpMethod.Delete, server.Url + "/api/v1/namespaces/ns1/configmaps/new");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var refused = await http.SendAsync(request);
        var body = await refused.Content.ReadAsStringAsync();

        created.Should().Be(HttpStatusCode.Created);
        refused.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        body.Should().Contain("\"kind\":\"Status\"").And.Contain("\"reason\":\"Forbidden\"")
            .And.Contain("User \\u0022system:serviceaccount:ns1:om\\u0022 cannot delete resource \\u0022configmaps\\u0022");
        server.Denied.Should().ContainSingle().Which.Should().Be("system:serviceaccount:ns1:om: DELETE /api/v1/namespaces/ns1/configmaps/new");
    }

    [Fact]
    public async Task An_unbound_service_account_gets_nothing_and_the_admin_kubeconfig_everything()
    {
        (await Send(HttpMethod.Get, "/api/v1/namespaces/ns1/configmaps/ring", new ServiceAccount("ns1", "stranger").Token)).Should().Be(HttpStatusCode.Forbidden);
        (await Send(HttpMethod.Delete, "/api/v1/namespaces/ns1/configmaps/other", "fake-token")).Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Rules_of_several_bindings_add_up_and_a_ClusterRole_bound_in_the_namespace_counts()
    {
        server.Store.Add("""{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"ClusterRole","metadata":{"name":"pod-reader"},"rules":[{"apiGroups":[""],"resources":["pods"],"verbs":["get"]}]}""");
        server.Store.Add("""{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","namespace":"ns1"}}""");
        var before = await Send(HttpMethod.Get, "/api/v1/namespaces/ns1/pods/p");
        server.Store.Add("""
            {"apiVersion":"rbac.authorization.k8s.io/v1","kind":"RoleBinding","metadata":{"name":"pods","namespace":"ns1"},
             "roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"pod-reader"},"subjects":[{"kind":"ServiceAccount","name":"om"}]}
            """);

        before.Should().Be(HttpStatusCode.Forbidden);
        (await Send(HttpMethod.Get, "/api/v1/namespaces/ns1/pods/p")).Should().Be(HttpStatusCode.OK);
        (await Send(HttpMethod.Get, "/api/v1/namespaces/ns1/configmaps/ring")).Should().Be(HttpStatusCode.OK, "the first binding still grants its rules");
    }
}
