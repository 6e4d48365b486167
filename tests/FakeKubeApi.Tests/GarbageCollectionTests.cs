using System.Text.Json.Nodes;

namespace FakeKubeApi.Tests;

/// <summary>
/// Owner references and the garbage collector as the fake API models them: deleting an owner
/// deletes its dependents (and theirs), owners are matched by uid, and a dependent whose owners
/// are all gone at creation is collected.
/// </summary>
public sealed class GarbageCollectionTests
{
    private readonly ObjectStore store = new();

    private static ApiResource Kind(string apiVersion, string kind) => ApiResource.ByKind(apiVersion, kind)!;

    private JsonObject StatefulSet(string name) =>
        store.Add($$$"""{"apiVersion":"apps/v1","kind":"StatefulSet","metadata":{"name":"{{{name}}}","namespace":"default"},"spec":{"replicas":3}}""");

    private JsonObject Owned(string apiVersion, string kind, string name, JsonObject owner) =>
        store.Add($$$"""
            {"apiVersion":"{{{apiVersion}}}","kind":"{{{kind}}}","metadata":{"name":"{{{name}}}","namespace":"default",
             "ownerReferences":[{"apiVersion":"apps/v1","kind":"StatefulSet","name":"{{{owner["metadata"]!["name"]}}}","uid":"{{{owner["metadata"]!["uid"]}}}"}]}}
            """);

    [Fact]
    public void Deleting_the_owner_deletes_its_dependents_but_not_unowned_objects()
    {
        var sts = StatefulSet("ozone-om");
        Owned("v1", "ConfigMap", "ozone-om-ring", sts);
        Owned("discovery.k8s.io/v1", "EndpointSlice", "ozone-om-4-stand-in", sts);
        store.Add("""{"apiVersion":"v1","kind":"PersistentVolumeClaim","metadata":{"name":"data-ozone-om-0","namespace":"default"}}""");

        store.Delete(Kind("apps/v1", "StatefulSet"), "default", "ozone-om").Should().BeTrue();

        store.Get(Kind("v1", "ConfigMap"), "default", "ozone-om-ring").Should().BeNull("the ring record lives as long as its StatefulSet");
        store.Get(Kind("discovery.k8s.io/v1", "EndpointSlice"), "default", "ozone-om-4-stand-in").Should().BeNull();
        store.Get(Kind("v1", "PersistentVolumeClaim"), "default", "data-ozone-om-0").Should().NotBeNull("a PVC without owner stays");
    }

    [Fact]
    public void An_owner_recreated_under_the_same_name_does_not_adopt_the_old_dependents()
    {
        var old = StatefulSet("ozone-om");
        Owned("v1", "ConfigMap", "ozone-om-ring", old);
        store.Delete(Kind("apps/v1", "StatefulSet"), "default", "ozone-om");
        var fresh = StatefulSet("ozone-om");

        fresh["metadata"]!["uid"]!.GetValue<string>().Should().NotBe(old["metadata"]!["uid"]!.GetValue<string>());
        store.Get(Kind("v1", "ConfigMap"), "default", "ozone-om-ring").Should().BeNull();
    }

    [Fact]
    public void A_dependent_created_for_an_owner_that_is_gone_is_collected()
    {
        var old = StatefulSet("ozone-om");
        store.Delete(Kind("apps/v1", "StatefulSet"), "default", "ozone-om");
        StatefulSet("ozone-om");

        // A hook Job killed before uninstall and retried after it still names the old uid.
        Owned("discovery.k8s.io/v1", "EndpointSlice", "ozone-om-4-stand-in", old);

        store.Get(Kind("discovery.k8s.io/v1", "EndpointSlice"), "default", "ozone-om-4-stand-in").Should().BeNull();
    }

    [Fact]
    public void Collection_cascades_down_a_chain_of_owners()
    {
        var sts = StatefulSet("ozone-om");
        var map = Owned("v1", "ConfigMap", "ozone-om-ring", sts);
        store.Add($$$"""
            {"apiVersion":"v1","kind":"Secret","metadata":{"name":"child","namespace":"default",
             "ownerReferences":[{"apiVersion":"v1","kind":"ConfigMap","name":"ozone-om-ring","uid":"{{{map["metadata"]!["uid"]}}}"}]}}
            """);

        store.Delete(Kind("apps/v1", "StatefulSet"), "default", "ozone-om");

        store.Get(Kind("v1", "Secret"), "default", "child").Should().BeNull();
    }
}
