using OmLifecycle.Cli;
using OmLifecycle.Membership;

namespace OmLifecycle.Tests.Membership;

public sealed class MembershipLoaderTests
{
    [Fact]
    public void A_document_rendered_by_the_chart_is_read_with_every_node_in_ordinal_order()
    {
        var doc = new MembershipYaml { Replicas = 5, PreviousReplicas = 3, Joining = { "ozone-om-3", "ozone-om-4" } }.Parse();

        doc.Nodes.Select(n => n.Id).Should().Equal("ozone-om-0", "ozone-om-1", "ozone-om-2", "ozone-om-3", "ozone-om-4");
        doc.Nodes[4].Host.Should().Be("ozone-om-4.ozone-om-headless.default.svc.cluster.local");
        doc.Joining.Should().Equal("ozone-om-3", "ozone-om-4");
        doc.HeadlessService.Should().Be("ozone-om-headless");
        doc.Timeouts.Bootstrap.Should().Be(TimeSpan.FromSeconds(900));
    }

    [Fact]
    public void A_leaving_node_beyond_the_desired_size_still_has_an_address()
    {
        var doc = new MembershipYaml { Replicas = 3, PreviousReplicas = 5, Leaving = { "ozone-om-4", "ozone-om-3" } }.Parse();

        doc.NodeFor("ozone-om-4").Should().Be(new OmNode("ozone-om-4", 4, "ozone-om-4.ozone-om-headless.default.svc.cluster.local"));
        doc.IsDesired("ozone-om-4").Should().BeFalse();
    }

    [Fact]
    public void Lookup_being_empty_is_read_as_an_unknown_previous_size()
    {
        new MembershipYaml { PreviousReplicas = null }.Parse().PreviousReplicas.Should().BeNull();
    }

    public static TheoryData<string, string, string> BadDocuments() => new()
    {
        { "empty file", "", "one YAML mapping" },
        { "garbage", "{{{: not yaml", "not valid YAML" },
        { "a list instead of a mapping", "- a\n- b\n", "one YAML mapping" },
        { "replicas zero", Edit(y => y.Replicas = 0, nodes: 0), "'replicas' is 0" },
        { "replicas negative", Edit(y => y.Replicas = -2, nodes: 0), "'replicas' is -2" },
        { "replicas not a number", Render().Replace("replicas: 3", "replicas: three"), "'replicas' is 'three'" },
        { "previousReplicas negative", Edit(y => y.PreviousReplicas = -1), "'previousReplicas' is -1" },
        { "wrong version", Render().Replace("version: 1", "version: 7"), "'version' is 7" },
        { "service id with a shell metacharacter", Edit(y => y.ServiceId = "ozone;rm"), "'serviceId' is 'ozone;rm'" },
        { "service id upper case", Edit(y => y.ServiceId = "Ozone"), "'serviceId' is 'Ozone'" },
        { "node id with a shell metacharacter", Edit(y => y.IdOverride = i => i == 1 ? "ozone-om-1$(id)" : $"ozone-om-{i}"), "'nodes[1].id'" },
        { "host with a shell metacharacter", Edit(y => y.HostOverride = i => i == 2 ? "evil`host`" : $"ozone-om-{i}.ozone-om-headless.default.svc.cluster.local"), "'nodes[2].host'" },
        { "host with a space", Edit(y => y.HostOverride = i => i == 0 ? "a b" : $"ozone-om-{i}.ozone-om-headless.default.svc.cluster.local"), "'nodes[0].host'" },
        { "node list shorter than replicas", Edit(y => y.NodeCount = 2), "'nodes' lists 2 nodes but 'replicas' is 3" },
        { "nodes out of order", Edit(y => y.IdOverride = i => $"ozone-om-{2 - i}"), "must be 'ozone-om-0'" },
        { "host not from the pattern", Edit(y => y.HostOverride = i => $"other-{i}.example.org"), "'hostPattern' gives" },
        { "unknown field", Render() + "replica: 3\n", "'replica' is not a field" },
        { "missing service id", string.Join('\n', Render().Split('\n').Where(l => !l.StartsWith("serviceId"))), "'serviceId' is missing" },
        { "joining names a node of another ring", Edit(y => y.Joining.Add("other-om-3")), "'joining' names 'other-om-3'" },
        { "leaving names a desired node", Edit(y => y.Leaving.Add("ozone-om-1")), "'leaving' names 'ozone-om-1'" },
        { "metadata dir relative", Edit(y => y.MetadataDir = "data/metadata"), "'paths.metadataDir' is 'data/metadata'" },
        { "metadata dir escaping", Edit(y => y.MetadataDir = "/data/../etc"), "'paths.metadataDir'" },
        { "port out of range", Render().Replace("rpc: 9862", "rpc: 70000"), "'ports.rpc' is 70000" },
        { "two ports equal", Render().Replace("http: 9874", "http: 9862"), "distinct ports" },
        { "timeout zero", Render().Replace("bootstrap: 900", "bootstrap: 0"), "'timeouts.bootstrap' is 0" },
        { "host pattern without placeholder", Edit(y => y.HostPattern = "static.example.org"), "'hostPattern' is 'static.example.org'" },
    };

    [Theory]
    [MemberData(nameof(BadDocuments))]
    public void A_bad_document_is_refused_with_a_sentence_naming_the_field(string why, string yaml, string expected)
    {
        var parse = () => MembershipLoader.Parse(yaml, "test.yaml");

        parse.Should().Throw<LifecycleException>(why)
            .Which.Should().Match<LifecycleException>(e => e.Code == ExitCode.Refused && e.Message.Contains(expected));
    }

    [Fact]
    public void All_problems_of_a_document_are_reported_at_once()
    {
        var yaml = Render().Replace("rpc: 9862", "rpc: 0").Replace("bootstrap: 900", "bootstrap: -5").Replace("serviceId: ozone", "serviceId: Bad_Id");

        var parse = () => MembershipLoader.Parse(yaml);

        parse.Should().Throw<LifecycleException>().Which.Message.Should()
            .Contain("'ports.rpc' is 0").And.Contain("'timeouts.bootstrap' is -5").And.Contain("'serviceId' is 'Bad_Id'");
    }

    [Fact]
    public void A_missing_file_is_refused_with_where_to_mount_it()
    {
        var load = () => MembershipLoader.LoadFile("/nonexistent/membership.yaml");

        load.Should().Throw<LifecycleException>().Which.Message.Should().Contain("/nonexistent/membership.yaml").And.Contain("OM_LIFECYCLE_MEMBERSHIP");
    }

    [Theory]
    [InlineData("ozone-om-7", 7)]
    [InlineData("ozone-om-0", 0)]
    [InlineData("ozone-om-07", null)]
    [InlineData("ozone-om-", null)]
    [InlineData("other-om-1", null)]
    [InlineData("ozone-om-1;reboot", null)]
    public void Node_ids_map_to_ordinals_only_in_the_exact_pod_name_form(string id, int? ordinal)
    {
        new MembershipYaml().Parse().OrdinalOf(id).Should().Be(ordinal);
    }

    [Fact]
    public void An_unknown_node_id_is_refused_naming_the_valid_ones()
    {
        var act = () => new MembershipYaml().Parse().NodeFor("om-x");

        act.Should().Throw<LifecycleException>().Which.Message.Should().Contain("'om-x'").And.Contain("ozone-om-0, ozone-om-1, ozone-om-2");
    }

    private static string Render() => new MembershipYaml().Render();

    private static string Edit(Action<MembershipYaml> change, int? nodes = null)
    {
        var yaml = new MembershipYaml();
        change(yaml);
        if (nodes is not null) yaml.NodeCount = nodes;
        return yaml.Render();
    }
}
