using Fixtures;
using OmLifecycle.Logging;
using OmLifecycle.Ozone;

namespace OmLifecycle.Tests.Ozone;

/// <summary>om-lifecycle reads every real answer in tests/fixtures/ozone right, over real HTTP.</summary>
public sealed class FixtureConformanceTests
{
    private static async Task<NodeProbe> ProbeAsync(string fixture, string nodeId)
    {
        using var server = HttpFixture.Load(fixture).Serve();
        using var http = new HttpClient();
        return await new RatisJmxClient(http, new JsonLog(TextWriter.Null, TimeProvider.System)).ProbeAsync(nodeId, "127.0.0.1", server.Port, CancellationToken.None);
    }

    // Role "   LEADER" (RoleInfo's %9s) and Content-Type charset=utf8 (JMXJsonServlet): both stopped a real ring before.
    [Fact]
    public async Task A_real_leader_answer_is_read_as_the_leader_with_its_followers()
    {
        var probe = await ProbeAsync("jmx/raft-server-leader.http", "ozone-om-0");

        probe.Problem.Should().BeNull();
        probe.State!.IsLeader.Should().BeTrue();
        probe.State.Role.Should().Be("LEADER");
        probe.State.LeaderId.Should().Be("ozone-om-0");
        probe.State.Term.Should().Be(4);
        probe.State.GroupId.Should().Be("group-1C3F5A8D2E70");
        probe.State.Followers.Should().Equal("ozone-om-1", "ozone-om-2");
    }

    [Theory]
    [InlineData("jmx/raft-server-follower.http", "ozone-om-1", "FOLLOWER", "ozone-om-0")]
    [InlineData("jmx/raft-server-candidate.http", "ozone-om-1", "CANDIDATE", null)]
    [InlineData("jmx/raft-server-joiner.http", "ozone-om-3", "FOLLOWER", null)]
    public async Task Other_roles_are_read_trimmed_and_a_null_leader_is_no_leader(string fixture, string nodeId, string role, string? leader)
    {
        var probe = await ProbeAsync(fixture, nodeId);

        probe.State!.Role.Should().Be(role);
        probe.State.IsLeader.Should().BeFalse();
        probe.State.LeaderId.Should().Be(leader);
        probe.State.GroupId.Should().Be("group-1C3F5A8D2E70", "a joiner's Ratis server is in the ring's group from the start");
    }

    [Fact]
    public async Task A_removed_OM_that_lost_its_bean_is_a_problem_not_a_member()
    {
        var probe = await ProbeAsync("jmx/raft-server-removed.http", "ozone-om-2");

        probe.Reachable.Should().BeFalse();
        probe.Problem.Should().Contain("no Ratis server bean");
    }

    [Fact]
    public async Task An_answer_from_another_node_is_not_believed()
    {
        var probe = await ProbeAsync("jmx/raft-server-leader.http", "ozone-om-1");

        probe.Reachable.Should().BeFalse();
        probe.Problem.Should().Contain("says it is ozone-om-0");
    }

    [Fact]
    public void Every_fixture_is_described_in_the_fixtures_README()
    {
        var readme = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "fixtures", "README.md"));

        HttpFixture.All("jmx").Should().NotBeEmpty().And.OnlyContain(f => readme.Contains($"`{f}`"));
    }
}
