using k8s.Models;
using OzoneSimulator;

namespace ClusterTwin.Tests;

/// <summary>
/// The kubelet's httpGet probe as the twin runs it (Kubernetes v1.35 pkg/probe/http/http.go: a
/// status from 200 to 399 passes; any other status or a refused connection fails; a named port is
/// the container's port of that name).
/// </summary>
public sealed class HttpProbeTests
{
    // Loopback 127.251.x.x belongs to this class.
    private const string Ip = "127.251.0.2";

    private static readonly V1Container Container = new() { Name = "s3g", Ports = [new V1ContainerPort { Name = "web", ContainerPort = 19878 }, new V1ContainerPort { Name = "rest", ContainerPort = 9878 }] };

    private static Task<bool> Probe(string port, string path) => HttpProbe.PassesAsync(Ip, Container, new V1HTTPGetAction { Port = port, Path = path }, TimeSpan.FromSeconds(5));

    [Fact]
    public async Task Passes_only_for_a_success_status_on_the_named_port_that_serves()
    {
        using var server = new DaemonHttpServer(Ip, 19878, () => [DaemonHttpServer.RuntimeBean("s3g")]);
        server.Start();

        (await Probe("web", "/jmx?qry=java.lang:type=Runtime")).Should().BeTrue();
        (await Probe("19878", "/jmx")).Should().BeTrue();
        (await Probe("web", "/no-such-servlet")).Should().BeFalse("a 404 fails");
        (await Probe("rest", "/jmx")).Should().BeFalse("nothing listens on the S3 port: connection refused");
        (await Probe("http", "/jmx")).Should().BeFalse("the container has no port named http");
    }
}
