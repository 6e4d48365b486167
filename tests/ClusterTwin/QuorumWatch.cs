using OzoneSimulator;

namespace ClusterTwin;

/// <summary>
/// Samples the simulated ring while a step runs: once a ring exists, it must always have a live
/// majority, and a leader or an election under way (a lost leader leaves a short window with no
/// leader, as in Ratis; a ring that cannot elect one is a loss).
/// </summary>
public sealed class QuorumWatch : IAsyncDisposable
{
    private readonly CancellationTokenSource stop = new();
    private readonly Task loop;
    private bool everLed;

    public QuorumWatch(SimState sim)
    {
        loop = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var ring = sim.Read();
                Samples++;
                var alive = ring.Voters.Count(ring.Running.ContainsKey);
                // A new ring has no quorum until enough initial members run; only a ring that had a leader can lose it.
                everLed |= ring.Leader is not null;
                if (everLed && ring.Voters.Count > 0 && (ring.Leader is null && ring.ElectionDueAt is null || !Election.HasMajority(alive, ring.Voters.Count)))
                    Losses.Add($"voters [{string.Join(",", ring.Voters)}], running [{string.Join(",", ring.Running.Keys)}]");
                try { await Task.Delay(50, stop.Token); } catch (OperationCanceledException) { }
            }
        });
    }

    public int Samples { get; private set; }

    public List<string> Losses { get; } = [];

    public async Task StopAsync()
    {
        await stop.CancelAsync();
        await loop;
    }

    public async ValueTask DisposeAsync()
    {
        if (!stop.IsCancellationRequested) await StopAsync();
        stop.Dispose();
    }
}
