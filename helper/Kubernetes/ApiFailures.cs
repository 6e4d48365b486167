using System.Net;
using k8s.Autorest;

namespace OmLifecycle.Kubernetes;

/// <summary>Which failures of a Kubernetes API call are the API's trouble, not a problem with what was asked.</summary>
public static class ApiFailures
{
    /// <summary>
    /// 5xx (the API server restarting, etcd trouble, a load balancer without backends), 429 (API
    /// Priority and Fairness shedding load) and a request that got no answer (connection refused or
    /// dropped, the client's timeout): retrying later can succeed. A 4xx other than 429 is an
    /// answer about the request (RBAC, a missing object) and is not transient.
    /// </summary>
    public static bool IsTransient(Exception e, CancellationToken cancellationToken) => e switch
    {
        HttpOperationException http => (int)http.Response.StatusCode >= 500 || http.Response.StatusCode == HttpStatusCode.TooManyRequests,
        HttpRequestException or IOException => true,
        // HttpClient's own timeout surfaces as a cancellation that nobody asked for.
        OperationCanceledException => !cancellationToken.IsCancellationRequested,
        _ => false,
    };

    /// <summary>A short description for a log line: the status code, or the network error's message.</summary>
    public static string Describe(Exception e) => e switch
    {
        HttpOperationException http => $"HTTP {(int)http.Response.StatusCode}",
        OperationCanceledException => "no answer in time",
        HttpRequestException => e.Message,
        _ => $"{e.GetType().Name}: {e.Message}",
    };
}
