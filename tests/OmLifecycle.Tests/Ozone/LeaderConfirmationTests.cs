using OmLifecycle.Membership;
using OmLifecycle.Ozone;
using OmLifecycle.Tests.Membership;

namespace OmLifecycle.Tests.Ozone;

/// <summary>
/// A Ratis leader cut off from its majority keeps saying LEADER until LeaderStateImpl#checkLeadership
/// (ratis-server, Ratis 3.1–3.2) steps it down, while the majority elects a new leader at a higher term.
/// </summary>
public sealed class LeaderConfirmationTests
{
    private const string Group = "group-1";

    [Fact]
    public void A_leader_whose_followers_name_it_at_its_term_is_believed()
    {
        var seen = LeaderConfirmation.Confirm([Leader("om-0", 4, "om-1", "om-2"), Follower("om-1", "om-0", 4), Follower("om-2", "om-0", 4)]);

        seen.Leader!.Id.Should().Be("om-0");
    }

    [Fact]
    public void Of_two_claimants_the_newer_one_is_believed_when_the_majority_follows_it()
    {
        var seen = LeaderConfirmation.Confirm([Leader("om-0", 4, "om-1", "om-2"), Leader("om-1", 5, "om-0", "om-2"), Follower("om-2", "om-1", 5)]);

        seen.Leader!.Id.Should().Be("om-1");
    }

    [Fact]
    public void A_stale_leader_that_is_the_only_one_answering_is_not_believed()
    {
        // om-1 and om-2 elected om-1 at term 5 but do not answer this observer: only om-0's word remains.
        var seen = LeaderConfirmation.Confirm([Leader("om-0", 4, "om-1", "om-2"), Down("om-1"), Down("om-2")]);

        seen.Leader.Should().BeNull();
        seen.Problem.Should().Contain("om-0").And.Contain("lost its majority");
    }

    [Fact]
    public void A_claimant_is_not_believed_when_any_node_of_its_group_is_at_a_higher_term()
    {
        var seen = LeaderConfirmation.Confirm([Leader("om-0", 4, "om-1", "om-2"), Follower("om-1", "om-0", 4), Follower("om-2", null, 5)]);

        seen.Leader.Should().BeNull();
        seen.Problem.Should().Contain("term 5");
    }

    [Fact]
    public void A_staging_joiner_at_a_lower_term_does_not_keep_a_one_node_ring_from_having_a_leader()
    {
        var seen = LeaderConfirmation.Confirm([Leader("om-0", 2, "om-1"), Follower("om-1", null, 0)]);

        seen.Leader!.Id.Should().Be("om-0");
    }

    [Fact]
    public void Two_claimants_at_the_same_term_are_neither_believed()
    {
        var seen = LeaderConfirmation.Confirm([Leader("om-0", 4, "om-1", "om-2"), Leader("om-1", 4, "om-0", "om-2"), Follower("om-2", "om-1", 4)]);

        seen.Leader.Should().BeNull();
    }

    [Fact]
    public async Task The_ring_observer_reports_no_leader_when_only_a_stale_leader_answers()
    {
        var doc = new MembershipYaml { Replicas = 3 }.Parse();
        var jmx = new ScriptedJmx(new Dictionary<string, NodeProbe>
        {
            ["ozone-om-0"] = new("ozone-om-0", new RaftServerState("ozone-om-0", "ozone-om-0", 4, Group, "   LEADER", ["ozone-om-1", "ozone-om-2"]), null),
            ["ozone-om-1"] = new("ozone-om-1", null, "connection refused"),
            ["ozone-om-2"] = new("ozone-om-2", null, "connection refused"),
        });

        var view = await new RingObserver(doc, jmx).ObserveAsync(doc.Nodes, CancellationToken.None);

        view.HasLeader.Should().BeFalse();
        view.Voters.Should().BeEmpty();
        view.LeaderProblem.Should().Contain("ozone-om-0");
    }

    [Fact]
    public async Task The_ring_observer_names_the_newer_leader_while_the_old_one_still_says_LEADER()
    {
        var doc = new MembershipYaml { Replicas = 3 }.Parse();
        var jmx = new ScriptedJmx(new Dictionary<string, NodeProbe>
        {
            ["ozone-om-0"] = new("ozone-om-0", new RaftServerState("ozone-om-0", "ozone-om-0", 4, Group, "   LEADER", ["ozone-om-1", "ozone-om-2"]), null),
            ["ozone-om-1"] = new("ozone-om-1", new RaftServerState("ozone-om-1", "ozone-om-2", 5, Group, " FOLLOWER", []), null),
            ["ozone-om-2"] = new("ozone-om-2", new RaftServerState("ozone-om-2", "ozone-om-2", 5, Group, "   LEADER", ["ozone-om-0", "ozone-om-1"]), null),
        });

        var view = await new RingObserver(doc, jmx).ObserveAsync(doc.Nodes, CancellationToken.None);

        view.LeaderId.Should().Be("ozone-om-2");
        view.LeaderTerm.Should().Be(5);
    }

    private static NodeProbe Leader(string id, long term, params string[] followers) => new(id, new RaftServerState(id, id, term, Group, "   LEADER", followers), null);

    private static NodeProbe Follower(string id, string? leader, long term) => new(id, new RaftServerState(id, leader, term, Group, " FOLLOWER", []), null);

    private static NodeProbe Down(string id) => new(id, null, "connection refused");

    private sealed class ScriptedJmx(IReadOnlyDictionary<string, NodeProbe> answers) : IRatisJmx
    {
        public Task<NodeProbe> ProbeAsync(string nodeId, string host, int httpPort, CancellationToken cancellationToken) =>
            Task.FromResult(answers.TryGetValue(nodeId, out var p) ? p : new NodeProbe(nodeId, null, "no such host"));
    }
}
