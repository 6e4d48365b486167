using System.Net;
using System.Net.Http.Headers;

namespace FakeKubeApi.Tests;

/// <summary>Faults for chosen requests: which requests fail, how, and for how long.</summary>
public sealed class ApiFaultTests : IDisposable
{
    private readonly FakeKubeApiServer server = new();
    // Generous: a loaded CI machine may take more than a second to answer a request that is not meant to hang.
    private readonly HttpClient http = new() { Timeout = TimeSpan.FromSeconds(30) };

    public ApiFaultTests()
    {
        server.Store.Add("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"ozone-om-ring","namespace":"default"},"data":{}}""");
        server.Store.Add("""{"apiVersion":"apps/v1","kind":"StatefulSet","metadata":{"name":"ozone-om","namespace":"default"},"spec":{"replicas":3}}""");
    }

    public void Dispose()
    {
        http.Dispose();
        server.Dispose();
    }

    private const string Ring = "/api/v1/namespaces/default/configmaps/ozone-om-ring";
    private const string Scale = "/apis/apps/v1/namespaces/default/statefulsets/ozone-om/scale";

    private Task<HttpResponseMessage> Get(string path, string? token = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, server.Url + path);
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http.SendAsync(request);
    }

    [Theory]
    [InlineData(ApiFaultKind.TooManyRequests, 429, "TooManyRequests")]
    [InlineData(ApiFaultKind.InternalError, 500, "InternalError")]
    [InlineData(ApiFaultKind.Unavailable, 503, "ServiceUnavailable")]
    public async Task A_counted_fault_fails_that_many_matching_requests_with_a_Status_body_and_then_answers(ApiFaultKind kind, int code, string reason)
    {
        server.AddFault(new ApiFault(kind, verb: "get", resource: "configmaps", count: 2));

        var first = await Get(Ring);
        var other = await Get(Scale);
        var second = await Get(Ring);
        var third = await Get(Ring);

        ((int)first.StatusCode).Should().Be(code);
        (await first.Content.ReadAsStringAsync()).Should().Contain("\"kind\":\"Status\"").And.Contain($"\"reason\":\"{reason}\"");
        first.Headers.RetryAfter.Should().Be(kind == ApiFaultKind.TooManyRequests ? new RetryConditionHeaderValue(TimeSpan.FromSeconds(1)) : null);
        other.StatusCode.Should().Be(HttpStatusCode.OK, "the scale subresource of a StatefulSet is not a configmap");
        ((int)second.StatusCode).Should().Be(code);
        third.StatusCode.Should().Be(HttpStatusCode.OK, "the fault was for two requests");
        server.FailedRequests.Should().Be(2);
    }

    [Fact]
    public async Task A_fault_for_a_window_fails_every_matching_request_until_it_ends()
    {
        var fault = new ApiFault(ApiFaultKind.Unavailable, resource: "statefulsets/scale", until: DateTimeOffset.UtcNow + TimeSpan.FromMilliseconds(600));
        server.AddFault(fault);

        var during = await Get(Scale);
        var ring = await Get(Ring);
        while (!fault.Expired(DateTimeOffset.UtcNow)) await Task.Delay(50);
        var after = await Get(Scale);

        during.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        ring.StatusCode.Should().Be(HttpStatusCode.OK);
        after.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_hanging_request_gets_no_answer_and_the_client_times_out()
    {
        server.AddFault(new ApiFault(ApiFaultKind.Hang, path: "ozone-om-ring$", until: DateTimeOffset.UtcNow + TimeSpan.FromSeconds(5)));

        using var impatient = new HttpClient { Timeout = TimeSpan.FromSeconds(1) };
        var hang = () => impatient.GetAsync(server.Url + Ring);

        await hang.Should().ThrowAsync<TaskCanceledException>("HttpClient's 1 s timeout ends a request that is never answered");
        (await Get(Scale)).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_dropped_connection_is_a_network_error_and_the_fault_can_name_one_caller()
    {
        server.AddFault(new ApiFault(ApiFaultKind.DropConnection, user: "default:ozone-om", until: DateTimeOffset.UtcNow + TimeSpan.FromSeconds(30)));
        using var fresh = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var request = new HttpRequestMessage(HttpMethod.Get, server.Url + Ring);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", new ServiceAccount("default", "ozone-om").Token);

        var admin = await Get(Ring);
        var drop = () => fresh.SendAsync(request);

        admin.StatusCode.Should().Be(HttpStatusCode.OK, "the fault is for the OM pods' service account only");
        await drop.Should().ThrowAsync<HttpRequestException>();
        server.FailedRequests.Should().BeGreaterThanOrEqualTo(1);
    }
}
