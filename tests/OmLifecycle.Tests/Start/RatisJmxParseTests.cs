using OmLifecycle.Ozone;

namespace OmLifecycle.Tests.Start;

public sealed class RatisJmxParseTests
{
    [Fact]
    public void The_leader_bean_gives_role_term_group_and_followers()
    {
        const string body = """
            {"beans":[{"name":"Ratis:service=RaftServer,group=group-ABC,id=ozone-om-0","modelerType":"x",
              "Id":"ozone-om-0","LeaderId":"ozone-om-0","CurrentTerm":4,"GroupId":"group-ABC","Role":"LEADER",
              "Followers":["ozone-om-1|127.1.1.1:9872","ozone-om-2|127.1.2.1:9872"]}]}
            """;

        var probe = RatisJmxClient.Parse("ozone-om-0", body);

        probe.State.Should().Be(probe.State! with { Id = "ozone-om-0", LeaderId = "ozone-om-0", Term = 4, GroupId = "group-ABC", Role = "LEADER" });
        probe.State!.Followers.Should().Equal("ozone-om-1", "ozone-om-2");
        probe.State.IsLeader.Should().BeTrue();
    }

    [Theory]
    [InlineData("not json at all", "not JSON")]
    [InlineData("{\"nobeans\":1}", "no 'beans'")]
    [InlineData("{\"beans\":[{\"name\":\"java.lang:type=Memory\"}]}", "no Ratis server bean")]
    [InlineData("{\"beans\":[{\"Role\":\"LEADER\"}]}", "no Ratis server bean")]
    [InlineData("{\"beans\":[{\"Role\":5,\"Id\":\"a\",\"GroupId\":\"g\"}]}", "no Ratis server bean")]
    [InlineData("{\"beans\":[{\"Role\":\"LEADER\",\"Id\":\"ozone-om-1\",\"GroupId\":\"g\",\"CurrentTerm\":3.5}]}", "CurrentTerm is not a whole number")]
    [InlineData("{\"beans\":[{\"Role\":\"LEADER\",\"Id\":\"ozone-om-1\",\"GroupId\":\"g\",\"CurrentTerm\":1e30}]}", "CurrentTerm is not a whole number")]
    [InlineData("{\"beans\":[{\"Role\":\"LEADER\",\"Id\":\"ozone-om-1\",\"GroupId\":\"g\",\"CurrentTerm\":\"7\"}]}", "CurrentTerm is not a whole number")]
    [InlineData("{\"beans\":[{\"Role\":\"LEADER\",\"Id\":\"\\u001b[31mozone-om-1\",\"GroupId\":\"g\"}]}", "not a valid name (\\u001b[31mozone-om-1")]
    [InlineData("{\"beans\":[{\"Role\":\"LEADER\",\"Id\":\"ozone-om-1\",\"LeaderId\":\"evil one\",\"GroupId\":\"g\"}]}", "not a valid name")]
    [InlineData("{\"beans\":[{\"Role\":\"LEADER\",\"Id\":\"ozone-om-7\",\"GroupId\":\"g\"}]}", "says it is ozone-om-7")]
    public void Garbage_from_the_JMX_servlet_is_a_problem_not_a_state(string body, string problem)
    {
        var probe = RatisJmxClient.Parse("ozone-om-1", body);

        probe.Reachable.Should().BeFalse();
        probe.Problem.Should().Contain(problem);
    }

    [Theory]
    [InlineData("om2|rpc:om2:9872", "om2")]
    [InlineData("ozone-om-12:10.0.0.3:9872", "ozone-om-12")]
    [InlineData("ozone-om-1", "ozone-om-1")]
    [InlineData("|x", null)]
    public void A_peer_string_yields_its_node_id(string peer, string? id)
    {
        RatisJmxClient.PeerId(peer).Should().Be(id);
    }

    [Fact]
    public void Roles_json_is_read_and_a_wrong_shape_is_rejected()
    {
        OzoneCli.ParseRoles("""[ {"om1":{"serverRole":"LEADER","hostname":"h1"}}, {"om2":{"serverRole":"FOLLOWER","hostname":"h2"}} ]""")
            .Should().Equal(new OmRole("om1", "LEADER", "h1"), new OmRole("om2", "FOLLOWER", "h2"));
        OzoneCli.ParseRoles("""{"om1":"LEADER"}""").Should().BeNull();
        OzoneCli.ParseRoles("om1 : LEADER (h1)").Should().BeNull();
    }

    [Fact]
    public void Roles_fixture_while_a_joiner_is_staging_parses_without_the_joiner()
    {
        var roles = OzoneCli.ParseRoles(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "fixtures", "admin", "om-roles-joiner-staging.json")));

        roles.Should().NotBeNull();
        roles!.Select(r => r.NodeId).Should().Equal("ozone-om-0", "ozone-om-1", "ozone-om-2");
        roles.Single(r => r.Role == "LEADER").NodeId.Should().Be("ozone-om-0");
    }
}
