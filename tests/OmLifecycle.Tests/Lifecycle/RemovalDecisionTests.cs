using OmLifecycle.Lifecycle;

namespace OmLifecycle.Tests.Lifecycle;

/// <summary>Joint consensus (Ratis RaftConfigurationImpl#hasMajority): old and new configuration both need a live majority.</summary>
public sealed class RemovalDecisionTests
{
    [Theory]
    // voters, alive, leaving, expected
    [InlineData("0,1,2", "0,1,2", "2", RemovalAction.StopFirst)]
    [InlineData("0,1,2,3", "0,1,2,3", "3", RemovalAction.StopFirst)]
    [InlineData("0,1", "0,1", "1", RemovalAction.RemoveRunning)]
    // 1 down: removing the down node leaves {0,2}, both alive: commits.
    [InlineData("0,1,2", "0,2", "1", RemovalAction.StopFirst)]
    // 1 down: removing running 2 leaves {0,1} with one of two alive: no order commits.
    [InlineData("0,1,2", "0,2", "2", RemovalAction.Refuse)]
    [InlineData("0,1,2,3,4", "0,1,2", "4", RemovalAction.StopFirst)]
    // 2 of 4 staying run after removing 4 from {0..4} with 3 down: no majority of the new configuration.
    [InlineData("0,1,2,3,4", "0,1,4", "4", RemovalAction.Refuse)]
    [InlineData("0,1,2", "0", "2", RemovalAction.Refuse)]
    // {0,1,2} keeps 0 and 1 of three alive; the old needs 3 of 4, so 3 must vote.
    [InlineData("0,1,2,3", "0,1,3", "3", RemovalAction.RemoveRunning)]
    [InlineData("0,1,2,3", "0,1,2", "3", RemovalAction.StopFirst)]
    public void A_removal_is_ordered_so_that_both_configurations_keep_a_live_majority(string voters, string alive, string leaving, RemovalAction expected)
    {
        var plan = RemovalDecision.Decide(voters.Split(','), alive.Split(','), leaving);

        plan.Action.Should().Be(expected, plan.Reason);
    }

    [Fact]
    public void A_refusal_says_which_majority_is_missing_and_which_OMs_to_start()
    {
        var plan = RemovalDecision.Decide(["om-0", "om-1", "om-2"], ["om-0", "om-2"], "om-2");

        plan.Reason.Should().Contain("1 of the 2 staying voters").And.Contain("new configuration").And.Contain("Start the stopped OMs (om-1)");
    }
}
