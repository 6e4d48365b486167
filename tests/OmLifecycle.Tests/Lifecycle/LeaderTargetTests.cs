using OmLifecycle.Lifecycle;

namespace OmLifecycle.Tests.Lifecycle;

/// <summary>
/// Where `transfer-leader` sends leadership. In a rolling update the StatefulSet restarts pods from
/// the highest ordinal down, so the preStop form prefers a staying voter above the stopping leader.
/// </summary>
public sealed class LeaderTargetTests
{
    [Theory]
    // mode,         voters,          alive,         leader, desired, self, to,   onlyIfLeave, expected action, expected target
    // preStop: the highest staying voter above the leader has restarted already in a rolling update.
    [InlineData(TransferMode.AwayFromSelf, "0,1,2,3,4,5,6", "0,1,2,3,4,5,6", 3, 7, 3, null, false, LeaderTargetAction.Move, 6)]
    [InlineData(TransferMode.AwayFromSelf, "0,1,2,3,4,5,6", "0,1,2,3,4,5", 3, 7, 3, null, false, LeaderTargetAction.Move, 5)]
    [InlineData(TransferMode.AwayFromSelf, "0,1,2", "0,1,2", 0, 3, 0, null, false, LeaderTargetAction.Move, 2)]
    // The highest ordinal stops first: nobody above it, so the lowest staying voter takes over.
    [InlineData(TransferMode.AwayFromSelf, "0,1,2,3,4,5,6", "0,1,2,3,4,5,6", 6, 7, 6, null, false, LeaderTargetAction.Move, 0)]
    [InlineData(TransferMode.AwayFromSelf, "0,1,2", "1,2", 2, 3, 2, null, false, LeaderTargetAction.Move, 1)]
    // Voters at or above the desired size leave: never hand leadership to one of them.
    [InlineData(TransferMode.AwayFromSelf, "0,1,2,3,4", "0,1,2,3,4", 1, 3, 1, null, false, LeaderTargetAction.Move, 2)]
    [InlineData(TransferMode.AwayFromSelf, "0,1,2,3,4", "0,1,2,3,4", 2, 3, 2, null, false, LeaderTargetAction.Move, 0)]
    // A leaving leader stopped by hand with no staying voter alive still hands over to a running one.
    [InlineData(TransferMode.AwayFromSelf, "0,1,2,3,4", "3,4", 4, 3, 4, null, false, LeaderTargetAction.Move, 3)]
    [InlineData(TransferMode.AwayFromSelf, "0,1,2", "2", 2, 3, 2, null, false, LeaderTargetAction.Stay, null)]
    // A follower stopping moves nothing.
    [InlineData(TransferMode.AwayFromSelf, "0,1,2", "0,1,2", 0, 3, 2, null, false, LeaderTargetAction.Stay, null)]
    // Hook and default form: the lowest running voter that stays.
    [InlineData(TransferMode.ToStaying, "0,1,2,3,4", "0,1,2,3,4", 4, 3, null, null, false, LeaderTargetAction.Move, 0)]
    [InlineData(TransferMode.ToStaying, "0,1,2,3,4", "1,2,3,4", 4, 3, null, null, true, LeaderTargetAction.Move, 1)]
    [InlineData(TransferMode.ToStaying, "0,1,2,3", "0,1,2,3", 2, 5, null, null, true, LeaderTargetAction.Stay, null)]
    [InlineData(TransferMode.ToStaying, "0,1,2,3", "0,1,2,3", 2, 4, null, null, false, LeaderTargetAction.Move, 0)]
    [InlineData(TransferMode.ToStaying, "0,1,2,3,4", "3,4", 4, 3, null, null, true, LeaderTargetAction.Refuse, null)]
    // The hook form with a staying leader: removing followers needs no transfer (issue 8, point 9), even when voters leave.
    [InlineData(TransferMode.ToStaying, "0,1,2,3,4", "0,1,2,3,4", 1, 3, null, null, true, LeaderTargetAction.Stay, null)]
    [InlineData(TransferMode.ToStaying, "0,1,2,3,4,5,6", "0,1,2,4,5,6", 2, 3, null, null, true, LeaderTargetAction.Stay, null)]
    [InlineData(TransferMode.ToStaying, "0,1,2,3,4", "0,1,2,3,4", 3, 3, null, null, true, LeaderTargetAction.Move, 0)]
    // --to: a running voter, whatever its ordinal; anything else is refused.
    [InlineData(TransferMode.To, "0,1,2,3,4", "0,1,2,3,4", 0, 5, null, 4, false, LeaderTargetAction.Move, 4)]
    [InlineData(TransferMode.To, "0,1,2,3,4", "0,1,2,3", 0, 5, null, 4, false, LeaderTargetAction.Refuse, null)]
    [InlineData(TransferMode.To, "0,1,2", "0,1,2", 0, 3, null, 7, false, LeaderTargetAction.Refuse, null)]
    public void Transfer_leader_chooses_its_target_by_mode(TransferMode mode, string voters, string alive, int leader, int desired,
        int? self, int? to, bool onlyIfNodesLeave, LeaderTargetAction action, int? target)
    {
        var up = alive.Split(',').Select(int.Parse).ToHashSet();
        var facts = new LeaderTargetFacts(mode, Id(leader),
            voters.Split(',').Select(int.Parse).Select(o => new VoterFact(Id(o), o, up.Contains(o))).ToList(),
            desired, self is { } s ? Id(s) : null, to is { } t ? Id(t) : null, onlyIfNodesLeave);

        var plan = LeaderTarget.Choose(facts);

        plan.Action.Should().Be(action, plan.Reason);
        plan.Target.Should().Be(target is { } o ? Id(o) : null, plan.Reason);
    }

    [Fact]
    public void A_rolling_restart_from_the_highest_ordinal_down_moves_leadership_at_most_once_unless_the_top_node_leads()
    {
        for (var first = 0; first < 7; first++)
        {
            var leader = first;
            var moves = 0;
            for (var stopping = 6; stopping >= 0; stopping--)
            {
                var voters = Enumerable.Range(0, 7).Select(o => new VoterFact(Id(o), o, Alive: true)).ToList();
                var plan = LeaderTarget.Choose(new LeaderTargetFacts(TransferMode.AwayFromSelf, Id(leader), voters, 7, Self: Id(stopping)));
                if (plan.Action != LeaderTargetAction.Move) continue;
                leader = int.Parse(plan.Target![^1..]);
                moves++;
            }

            moves.Should().Be(first == 6 ? 2 : 1, $"ozone-om-{first} led when the rollout began");
        }
    }

    [Fact]
    public void A_refusal_names_the_running_voters_and_what_to_do()
    {
        var plan = LeaderTarget.Choose(new LeaderTargetFacts(TransferMode.ToStaying, Id(4),
            [new(Id(0), 0, false), new(Id(3), 3, true), new(Id(4), 4, true)], 3));

        plan.Reason.Should().Contain("below ordinal 3").And.Contain("ozone-om-3, ozone-om-4").And.Contain("Start the staying OMs first");
    }

    private static string Id(int ordinal) => $"ozone-om-{ordinal}";
}
