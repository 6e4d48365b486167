using OmLifecycle.Logging;
using OmLifecycle.Ozone;

namespace OmLifecycle.Lifecycle;

/// <summary>
/// Whether the Ratis change that adds a joiner has COMMITTED, from Ozone's structured answer:
/// `ozone admin om roles --json` lists the leader's in-memory peer map, which grows only when the
/// add is applied (OzoneManagerStateMachine#notifyConfigurationChanged, Ozone 2.0–2.2). The
/// leader's JMX Followers is not enough: Ratis lists a staging (catching-up) peer there too.
/// Asked only once the leader's Followers lists the node, and at most every <see cref="EveryPolls"/>
/// polls: each call starts a JVM.
/// </summary>
public sealed class BootstrapCommitCheck(IOzoneAdmin ozone, JsonLog log, string nodeId)
{
    public const int EveryPolls = 3;

    private int pollsUntilNextAsk;

    /// <summary>True once `roles` (exit 0, parsed) lists the node; false while it does not, or does not answer (asked again later).</summary>
    public async Task<bool> CommittedAsync(CancellationToken cancellationToken)
    {
        if (pollsUntilNextAsk > 0)
        {
            pollsUntilNextAsk--;
            return false;
        }
        pollsUntilNextAsk = EveryPolls - 1;
        var roles = await ozone.RolesAsync($"confirm that the change adding {nodeId} committed", cancellationToken);
        if (roles is null)
        {
            log.Warn("start.roles-unanswered", $"'ozone admin om roles' gave no usable answer; {nodeId} stays unconfirmed and is checked again", ("node", nodeId));
            return false;
        }
        if (roles.Any(r => r.NodeId == nodeId)) return true;
        log.Info("start.staging", $"the leader's Ratis Followers lists {nodeId} but its peer map does not yet: the add has not committed (still catching up)",
            ("node", nodeId), ("peers", roles.Select(r => r.NodeId).ToList()));
        return false;
    }
}
