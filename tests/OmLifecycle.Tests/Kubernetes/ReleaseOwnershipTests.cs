using System.Text.Json.Nodes;
using FakeKubeApi;
using FluentAssertions;
using OmLifecycle.Kubernetes;
using OmLifecycle.Logging;
using OmLifecycle.Tests.Membership;
using Xunit;

namespace OmLifecycle.Tests.Kubernetes;

/// <summary>
/// The ring record and stand-in EndpointSlices live as long as the OM StatefulSet of this install
/// (issue 9, point 3): `helm uninstall` deletes them through the garbage collector, and one left
/// by an earlier install of the same release name is never read as this install's.
/// </summary>
public sealed class ReleaseOwnershipTests : IDisposable
{
    private readonly FakeKubeApiServer server = new();
    private readonly string dir = Directory.CreateTempSubdirectory("ownership").FullName;
    private readonly KubeCluster kube;

    public ReleaseOwnershipTests()
    {
        var client = KubeCluster.Connect(server.WriteKubeconfig(Path.Combine(dir, "kubeconfig")), TimeSpan.FromSeconds(10));
        kube = new KubeCluster(client, new MembershipYaml().Parse(), "default", new JsonLog(TextWriter.Null, TimeProvider.System));
    }

    public void Dispose()
    {
        server.Dispose();
        Directory.Delete(dir, recursive: true);
    }

    private static ApiResource Kind(string apiVersion, string kind) => ApiResource.ByKind(apiVersion, kind)!;

    private JsonObject InstallStatefulSet(string created = "2026-01-01T00:00:00Z") =>
        server.Store.Add($$$"""{"apiVersion":"apps/v1","kind":"StatefulSet","metadata":{"name":"ozone-om","namespace":"default","creationTimestamp":"{{{created}}}"},"spec":{"replicas":3}}""");

    private void Uninstall() => server.Store.Delete(Kind("apps/v1", "StatefulSet"), "default", "ozone-om");

    private JsonObject? RingMap() => server.Store.Get(Kind("v1", "ConfigMap"), "default", "ozone-om-ring");

    [Fact]
    public async Task The_ring_record_is_owned_by_the_StatefulSet_and_goes_with_it()
    {
        var sts = InstallStatefulSet();

        await kube.UpdateRingAsync(r => r with { ActualVoters = ["ozone-om-0"] }, CancellationToken.None);

        RingMap()!["metadata"]!["ownerReferences"]![0]!["uid"]!.GetValue<string>().Should().Be(sts["metadata"]!["uid"]!.GetValue<string>());
        Uninstall();
        RingMap().Should().BeNull("helm uninstall deletes the StatefulSet, and the garbage collector its dependents");
    }

    [Fact]
    public async Task A_record_left_by_an_earlier_install_is_not_read_and_the_next_write_starts_a_new_one()
    {
        var old = InstallStatefulSet();
        // An earlier install's record whose deletion the collector has not got to (or an older om-lifecycle's).
        server.Store.Add("""
            {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"ozone-om-ring","namespace":"default"},
             "data":{"actualVoters":"ozone-om-0,ozone-om-1,ozone-om-2","decommissioned":"ozone-om-4"}}
            """);
        await kube.UpdateRingAsync(r => r, CancellationToken.None); // adopted by the old StatefulSet
        var stale = RingMap()!;
        stale["metadata"]!["ownerReferences"]![0]!["uid"] = "uid-of-an-earlier-install";
        server.Store.Put(Kind("v1", "ConfigMap"), "default", stale);
        server.Store.Get(Kind("v1", "ConfigMap"), "default", "ozone-om-ring").Should().BeNull("the fake collector removes a record whose owner is gone");
        // A record of an older om-lifecycle (no owner) that an earlier install left: older than this StatefulSet.
        server.Store.Add("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"ozone-om-ring","namespace":"default","creationTimestamp":"2025-12-31T00:00:00Z"},"data":{"actualVoters":"ozone-om-0"}}""");

        (await kube.ReadRingAsync(CancellationToken.None)).Should().BeNull("a record older than the StatefulSet, without an owner, is an earlier install's");
        var next = await kube.UpdateRingAsync(r => r with { Leader = "ozone-om-0" }, CancellationToken.None);

        next.ActualVoters.Should().BeEmpty("nothing of the old ring is carried over");
        RingMap()!["metadata"]!["ownerReferences"]![0]!["uid"]!.GetValue<string>().Should().Be(old["metadata"]!["uid"]!.GetValue<string>());
        (await kube.ReadRingAsync(CancellationToken.None))!.Leader.Should().Be("ozone-om-0");
    }

    [Fact]
    public async Task Without_a_StatefulSet_no_record_is_read()
    {
        InstallStatefulSet();
        await kube.UpdateRingAsync(r => r with { ActualVoters = ["ozone-om-0"] }, CancellationToken.None);
        var kept = RingMap()!;
        kept["metadata"]!.AsObject().Remove("ownerReferences");
        Uninstall();
        server.Store.Put(Kind("v1", "ConfigMap"), "default", kept);

        (await kube.ReadRingAsync(CancellationToken.None)).Should().BeNull("the ring it describes was uninstalled");
    }

    [Fact]
    public async Task A_stand_in_address_is_owned_by_the_StatefulSet_and_one_from_an_earlier_install_is_replaced()
    {
        var sts = InstallStatefulSet();
        server.Store.Add("""
            {"apiVersion":"discovery.k8s.io/v1","kind":"EndpointSlice","metadata":{"name":"ozone-om-4-stand-in","namespace":"default","creationTimestamp":"2025-12-31T00:00:00Z"},
             "addressType":"IPv4","endpoints":[{"addresses":["10.0.0.99"],"hostname":"ozone-om-4"}]}
            """);

        await kube.EnsureStandInAddressAsync("ozone-om-4", "10.0.0.4", CancellationToken.None);

        var slice = server.Store.Get(Kind("discovery.k8s.io/v1", "EndpointSlice"), "default", "ozone-om-4-stand-in")!;
        slice["endpoints"]![0]!["addresses"]![0]!.GetValue<string>().Should().Be("10.0.0.4");
        slice["metadata"]!["ownerReferences"]![0]!["uid"]!.GetValue<string>().Should().Be(sts["metadata"]!["uid"]!.GetValue<string>());
        Uninstall();
        server.Store.Get(Kind("discovery.k8s.io/v1", "EndpointSlice"), "default", "ozone-om-4-stand-in").Should().BeNull();
    }
}
