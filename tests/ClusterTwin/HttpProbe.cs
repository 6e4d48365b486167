using k8s.Models;

namespace ClusterTwin;

/// <summary>
/// The kubelet's httpGet probe (Kubernetes v1.35 pkg/probe/http/http.go and pkg/kubelet/prober):
/// GET http://&lt;pod IP&gt;:&lt;port&gt;&lt;path&gt;, the port a number or the name of one of the
/// container's ports; a status from 200 to 399 passes, anything else, a refused connection or no
/// answer within the probe's timeout fails. A port name the container lacks fails too.
/// </summary>
public static class HttpProbe
{
    private static readonly HttpClient Client = new(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false }) { Timeout = Timeout.InfiniteTimeSpan };

    /// <param name="timeout">The probe's timeoutSeconds as the twin plays it (<see cref="ProbeWorker.Timeout"/>).</param>
    public static async Task<bool> PassesAsync(string podIp, V1Container container, V1HTTPGetAction get, TimeSpan timeout)
    {
        if (ResolvePort(container, get.Port?.Value) is not { } port) return false;
        var path = string.IsNullOrEmpty(get.Path) ? "/" : get.Path;
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            using var response = await Client.GetAsync(new Uri($"http://{podIp}:{port}{path}"), deadline.Token);
            return (int)response.StatusCode is >= 200 and < 400;
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or IOException) { return false; }
    }

    /// <summary>A port number, or a container port's name (IANA_SVC_NAME); null when the container has no such port.</summary>
    public static int? ResolvePort(V1Container container, string? port) =>
        int.TryParse(port, out var number) ? number : container.Ports?.FirstOrDefault(p => p.Name == port)?.ContainerPort;
}
