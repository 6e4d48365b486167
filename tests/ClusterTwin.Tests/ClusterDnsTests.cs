using System.Text.Json.Nodes;

namespace ClusterTwin.Tests;

/// <summary>
/// Pod DNS as Kubernetes gives it: the EndpointSlice controller lists the pods a Service selects
/// (Kubernetes v1.35 pkg/controller/endpointslice; k8s.io/endpointslice utils.go podToEndpoint and
/// util/controller_utils.go ShouldPodBeInEndpoints, ShouldSetHostname), and CoreDNS serves
/// &lt;hostname&gt;.&lt;service&gt;.&lt;ns&gt;.svc.cluster.local only for ready endpoints with a
/// hostname of a headless Service (CoreDNS v1.12 plugin/kubernetes; Kubernetes docs "DNS for
/// Services and Pods", Pods). Pods here are API objects only: no process runs.
/// </summary>
public sealed class ClusterDnsTests : IDisposable
{
    private const string Fqdn = "demo-om-0.demo-om-headless.default.svc.cluster.local";
    private readonly string work = TwinWorkDir.Create("twin-dns");
    private readonly Cluster cluster;

    public ClusterDnsTests()
    {
        cluster = new Cluster(work, "default");
        cluster.ServeDns();
    }

    /// <summary>What cluster DNS answers (hosts.json: the simulator reads it, and the twin's DNS server serves it to getaddrinfo).</summary>
    private string? Resolved(string fqdn) => JsonNode.Parse(File.ReadAllText(cluster.DnsAnswers))!.AsObject()[fqdn]?.GetValue<string>();

    // ShouldPodBeInEndpoints and podToEndpoint: a not-ready pod is listed with ready=false unless
    // the Service publishes not-ready addresses; CoreDNS skips endpoints that are not ready.
    [Fact]
    public void A_pod_that_is_not_ready_has_no_name_behind_a_Service_without_publishNotReadyAddresses()
    {
        PutService(publishNotReady: false);
        PutPod(ip: "127.0.0.5", ready: false);

        Resolved(Fqdn).Should().BeNull();
        var endpoint = Slice()["endpoints"]![0]!;
        endpoint["conditions"]!["ready"]!.GetValue<bool>().Should().BeFalse("the controller lists it, not ready");

        PutPod(ip: "127.0.0.5", ready: true);
        Resolved(Fqdn).Should().Be("127.0.0.5", "once Ready, the name exists");
    }

    [Fact]
    public void A_pod_that_is_not_ready_has_a_name_behind_a_Service_with_publishNotReadyAddresses()
    {
        PutService(publishNotReady: true);
        PutPod(ip: "127.0.0.5", ready: false);

        Resolved(Fqdn).Should().Be("127.0.0.5");
    }

    [Fact]
    public void A_pod_the_Service_does_not_select_has_no_name_even_with_the_right_subdomain()
    {
        PutService(publishNotReady: true);
        PutPod(ip: "127.0.0.5", ready: true, app: "other");

        Resolved(Fqdn).Should().BeNull();
        Slice()["endpoints"]!.AsArray().Should().BeEmpty();
    }

    [Fact]
    public void A_pod_without_an_IP_has_no_name_until_it_gets_one()
    {
        PutService(publishNotReady: true);
        PutPod(ip: null, ready: false);

        Resolved(Fqdn).Should().BeNull();

        PutPod(ip: "127.0.0.5", ready: false);
        Resolved(Fqdn).Should().Be("127.0.0.5");
    }

    [Fact]
    public void Deleting_the_pod_removes_its_name()
    {
        PutService(publishNotReady: true);
        PutPod(ip: "127.0.0.5", ready: true);
        Resolved(Fqdn).Should().Be("127.0.0.5");

        cluster.Delete("v1", "Pod", "demo-om-0");

        Resolved(Fqdn).Should().BeNull();
    }

    // ShouldSetHostname: the endpoint gets a hostname only when the pod's subdomain is this Service.
    [Fact]
    public void A_pod_whose_subdomain_names_another_Service_has_no_name_under_this_one()
    {
        PutService(publishNotReady: true);
        PutPod(ip: "127.0.0.5", ready: true, subdomain: "demo-om-other");

        Resolved(Fqdn).Should().BeNull();
        Slice()["endpoints"]![0]!["hostname"].Should().BeNull();
    }

    // CoreDNS answers pod hostnames only for headless Services (clusterIP None).
    [Fact]
    public void A_Service_with_a_cluster_IP_gives_its_pods_no_names()
    {
        PutService(publishNotReady: true, clusterIp: "10.96.0.20");
        PutPod(ip: "127.0.0.5", ready: true);

        Resolved(Fqdn).Should().BeNull();
    }

    [Fact]
    public void Without_the_Service_there_is_no_slice_and_no_name()
    {
        PutPod(ip: "127.0.0.5", ready: true);
        Resolved(Fqdn).Should().BeNull();

        PutService(publishNotReady: true);
        Resolved(Fqdn).Should().Be("127.0.0.5");

        cluster.Delete("v1", "Service", "demo-om-headless");
        cluster.Get("discovery.k8s.io/v1", "EndpointSlice", EndpointSliceController.SliceName("demo-om-headless")).Should().BeNull("the controller removes the slice of a Service that is gone");
        Resolved(Fqdn).Should().BeNull();
    }

    // A terminating pod is not ready (podToEndpoint) unless the Service publishes not-ready addresses.
    [Fact]
    public void A_terminating_pod_keeps_its_name_only_behind_a_Service_with_publishNotReadyAddresses()
    {
        PutService(publishNotReady: false);
        PutPod(ip: "127.0.0.5", ready: true, terminating: true);
        Resolved(Fqdn).Should().BeNull();

        PutService(publishNotReady: true);
        Resolved(Fqdn).Should().Be("127.0.0.5");
    }

    // om-lifecycle's stand-in slices (helper/Kubernetes/KubeCluster.cs EnsureStandInAddressAsync):
    // its own managed-by, the headless Service's name label, a ready endpoint with a hostname.
    [Fact]
    public void A_stand_in_slice_gives_a_name_for_a_pod_that_does_not_exist_and_the_controller_leaves_it_alone()
    {
        PutService(publishNotReady: true);
        cluster.Put(JsonNode.Parse("""
            {"apiVersion":"discovery.k8s.io/v1","kind":"EndpointSlice","metadata":{"name":"om3-stand-in","labels":{"kubernetes.io/service-name":"demo-om-headless","endpointslice.kubernetes.io/managed-by":"om-lifecycle"}},
             "addressType":"IPv4","endpoints":[{"addresses":["127.0.0.9"],"hostname":"om3","conditions":{"ready":true}}]}
            """)!.AsObject());

        Resolved("om3.demo-om-headless.default.svc.cluster.local").Should().Be("127.0.0.9");

        PutPod(ip: "127.0.0.5", ready: true);
        cluster.Get("discovery.k8s.io/v1", "EndpointSlice", "om3-stand-in").Should().NotBeNull("a pod change makes the controller sync, and it owns only its own slices");
        Resolved("om3.demo-om-headless.default.svc.cluster.local").Should().Be("127.0.0.9");
    }

    private JsonObject Slice() => cluster.Get("discovery.k8s.io/v1", "EndpointSlice", EndpointSliceController.SliceName("demo-om-headless"))!;

    private void PutService(bool publishNotReady, string clusterIp = "None") => cluster.Put(new JsonObject
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Service",
        ["metadata"] = new JsonObject { ["name"] = "demo-om-headless" },
        ["spec"] = new JsonObject
        {
            ["clusterIP"] = clusterIp,
            ["publishNotReadyAddresses"] = publishNotReady,
            ["selector"] = new JsonObject { ["app"] = "demo" },
        },
    });

    /// <summary>The pod as the StatefulSet controller makes it: hostname = its name, subdomain = serviceName.</summary>
    private void PutPod(string? ip, bool ready, string app = "demo", string subdomain = "demo-om-headless", bool terminating = false)
    {
        var status = new JsonObject
        {
            ["phase"] = ip is null ? "Pending" : "Running",
            ["conditions"] = new JsonArray(new JsonObject { ["type"] = "Ready", ["status"] = ready ? "True" : "False" }),
        };
        if (ip is not null) status["podIP"] = ip;
        var metadata = new JsonObject { ["name"] = "demo-om-0", ["labels"] = new JsonObject { ["app"] = app } };
        if (terminating) metadata["deletionTimestamp"] = "2026-01-01T00:00:00Z";
        cluster.Put(new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = metadata,
            ["spec"] = new JsonObject { ["hostname"] = "demo-om-0", ["subdomain"] = subdomain },
            ["status"] = status,
        });
    }

    public void Dispose()
    {
        cluster.Dispose();
        Directory.Delete(work, recursive: true);
    }
}
