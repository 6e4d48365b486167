using OmLifecycle.Kubernetes;
using OmLifecycle.Membership;
using OmLifecycle.Ozone;

namespace OmLifecycle.Lifecycle;

/// <summary>
/// Whether Ozone's bootstrap pre-check can pass now. `ozone om --bootstrap` asks every other node of
/// the joiner's list ONCE for its on-disk ozone-site.xml and exits 1 if one does not list the joiner
/// (OzoneManager#checkConfigBeforeBootstrap); a peer that does not answer fails it after the IPC
/// client's retries. No Ozone command shows a peer's file to a client, but each member's om-lifecycle
/// writes that file and records the node list it wrote in the ring record, so the joiner waits for
/// every listed member to run and to have recorded a file that lists it. Pure.
/// </summary>
public static class BootstrapReadiness
{
    /// <summary>One line per listed member that would fail the pre-check now, saying why; empty when it can pass.</summary>
    public static IReadOnlyList<string> Blockers(OmNode self, IEnumerable<OmNode> listed, RingView ring, RingRecord? record) =>
        listed.Where(n => n.Id != self.Id)
            .Select(n => !ring.IsAlive(n.Id)
                ? $"{n.Id} does not answer (the pre-check would fail on it after retrying the connection)"
                : record?.Lists(n.Id, self.Id) != true
                    ? $"{n.Id} has not recorded an ozone-site.xml that lists {self.Id} yet"
                    : null)
            .OfType<string>()
            .ToList();

    /// <summary>The wait before checking again after the <paramref name="checks"/>-th check (1 or more): the poll interval doubled each time, at most four of them.</summary>
    public static TimeSpan Backoff(TimeSpan pollInterval, int checks) =>
        TimeSpan.FromTicks(pollInterval.Ticks * (1L << Math.Min(Math.Max(checks, 1) - 1, 2)));
}
