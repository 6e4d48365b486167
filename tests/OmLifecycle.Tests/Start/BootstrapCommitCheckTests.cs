using OmLifecycle.Lifecycle;
using OmLifecycle.Logging;
using OmLifecycle.Ozone;

namespace OmLifecycle.Tests.Start;

/// <summary>
/// A joiner is a member only once the leader's peer map (`ozone admin om roles`) lists it: Ozone adds
/// it there when the change that adds it is applied (OzoneManagerStateMachine#notifyConfigurationChanged),
/// while Ratis' Followers lists it already while it is staging.
/// </summary>
public sealed class BootstrapCommitCheckTests
{
    private sealed class ScriptedRoles(params IReadOnlyList<OmRole>?[] answers) : IOzoneAdmin
    {
        public int Calls { get; private set; }

        public Task<IReadOnlyList<OmRole>?> RolesAsync(string why, CancellationToken cancellationToken) =>
            Task.FromResult(answers[Math.Min(Calls++, answers.Length - 1)]);

        public Task<OzoneOutcome> DecommissionAsync(string nodeId, string host, string why, CancellationToken cancellationToken) => throw new InvalidOperationException("not a roles call");

        public Task<OzoneOutcome> TransferLeaderAsync(string targetNodeId, string why, CancellationToken cancellationToken) => throw new InvalidOperationException("not a roles call");
    }

    private static readonly IReadOnlyList<OmRole> Staged = [new("ozone-om-0", "LEADER", "h0"), new("ozone-om-1", "FOLLOWER", "h1"), new("ozone-om-2", "FOLLOWER", "h2")];
    private static readonly IReadOnlyList<OmRole> Committed = [.. Staged, new("ozone-om-3", "FOLLOWER", "h3")];

    private static (BootstrapCommitCheck Check, StringWriter Log) For(IOzoneAdmin ozone)
    {
        var log = new StringWriter();
        return (new BootstrapCommitCheck(ozone, new JsonLog(log, TimeProvider.System), "ozone-om-3"), log);
    }

    [Fact]
    public async Task A_joiner_missing_from_the_leaders_peer_map_is_not_confirmed()
    {
        var (check, log) = For(new ScriptedRoles(Staged));

        (await check.CommittedAsync(CancellationToken.None)).Should().BeFalse();
        log.ToString().Should().Contain("start.staging");
    }

    [Fact]
    public async Task A_joiner_in_the_leaders_peer_map_is_confirmed()
    {
        var (check, _) = For(new ScriptedRoles(Committed));

        (await check.CommittedAsync(CancellationToken.None)).Should().BeTrue();
    }

    [Fact]
    public async Task Roles_without_an_answer_leave_the_joiner_unconfirmed_and_are_asked_again()
    {
        var ozone = new ScriptedRoles(null, Committed);
        var (check, log) = For(ozone);

        (await check.CommittedAsync(CancellationToken.None)).Should().BeFalse();
        log.ToString().Should().Contain("start.roles-unanswered");
        var confirmed = false;
        for (var poll = 0; poll < BootstrapCommitCheck.EveryPolls && !confirmed; poll++) confirmed = await check.CommittedAsync(CancellationToken.None);

        confirmed.Should().BeTrue();
        ozone.Calls.Should().Be(2);
    }

    [Fact]
    public async Task Roles_are_asked_at_most_once_every_few_polls_because_each_call_starts_a_JVM()
    {
        var ozone = new ScriptedRoles(Staged);
        var (check, _) = For(ozone);

        for (var poll = 0; poll < 3 * BootstrapCommitCheck.EveryPolls; poll++) await check.CommittedAsync(CancellationToken.None);

        ozone.Calls.Should().Be(3);
    }
}
