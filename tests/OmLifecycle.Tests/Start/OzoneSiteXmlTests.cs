using OmLifecycle.Cli;
using OmLifecycle.Ozone;
using OmLifecycle.Tests.Membership;

namespace OmLifecycle.Tests.Start;

public sealed class OzoneSiteXmlTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("omsite").FullName;

    private string SitePath => Path.Combine(dir, "ozone-site.xml");

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Fact]
    public void Membership_keys_are_merged_into_the_generated_file_and_other_properties_are_kept()
    {
        File.WriteAllText(SitePath, """
            <?xml version="1.0"?>
            <configuration>
              <property><name>ozone.scm.names</name><value>scm-0</value></property>
              <property><name>ozone.om.nodes.ozone</name><value>stale</value></property>
              <property><name>ozone.om.address.ozone.stale</name><value>stale:1</value></property>
            </configuration>
            """);
        var doc = new MembershipYaml().Parse();

        var changed = OzoneSiteXml.Merge(SitePath, MembershipKeys.For(doc, doc.Nodes, [doc.NodeAt(4)], "ozone-om-1"), k => MembershipKeys.IsOwned(k, "ozone"));

        changed.Should().BeTrue();
        var site = OzoneSiteXml.Read(SitePath);
        site["ozone.scm.names"].Should().Be("scm-0");
        site["ozone.om.nodes.ozone"].Should().Be("ozone-om-0,ozone-om-1,ozone-om-2");
        site["ozone.om.decommissioned.nodes.ozone"].Should().Be("ozone-om-4");
        site["ozone.om.address.ozone.ozone-om-4"].Should().Be("ozone-om-4.ozone-om-headless.default.svc.cluster.local:9862");
        site["ozone.om.http-address.ozone.ozone-om-2"].Should().Be("ozone-om-2.ozone-om-headless.default.svc.cluster.local:9874");
        site["ozone.om.node.id"].Should().Be("ozone-om-1");
        site.Should().NotContainKey("ozone.om.address.ozone.stale");
    }

    [Fact]
    public void Writing_the_same_membership_twice_does_not_touch_the_file()
    {
        var doc = new MembershipYaml().Parse();
        var keys = MembershipKeys.For(doc, doc.Nodes, [], null);
        OzoneSiteXml.Merge(SitePath, keys, k => MembershipKeys.IsOwned(k, "ozone")).Should().BeTrue();
        var written = File.GetLastWriteTimeUtc(SitePath);
        var content = File.ReadAllText(SitePath);

        OzoneSiteXml.Merge(SitePath, keys, k => MembershipKeys.IsOwned(k, "ozone")).Should().BeFalse();
        File.ReadAllText(SitePath).Should().Be(content);
        File.GetLastWriteTimeUtc(SitePath).Should().Be(written);
    }

    [Fact]
    public void A_file_the_entrypoint_broke_with_an_unescaped_value_is_refused_and_left_alone()
    {
        const string broken = "<configuration><property><name>a</name><value>x & y</value></property></configuration>";
        File.WriteAllText(SitePath, broken);

        var merge = () => OzoneSiteXml.Merge(SitePath, new Dictionary<string, string> { ["ozone.om.service.ids"] = "ozone" }, _ => true);

        merge.Should().Throw<LifecycleException>().Which.Message.Should().Contain("not XML-escaped");
        File.ReadAllText(SitePath).Should().Be(broken);
    }
}
