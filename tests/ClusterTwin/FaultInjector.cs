using System.Text.Json.Nodes;

namespace ClusterTwin;

/// <summary>Kills a pod, a container process or a hook Job once, when the fault's condition first holds.</summary>
public sealed class FaultInjector : IDisposable
{
    private readonly CancellationTokenSource stop = new();
    private readonly Task loop;

    public FaultInjector(IReadOnlyList<Fault> faults, Twin twin)
    {
        var pending = faults.ToList();
        loop = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested && pending.Count > 0)
            {
                foreach (var fault in pending.ToList())
                {
                    if (!Holds(fault, twin)) continue;
                    pending.Remove(fault);
                    await KillAsync(fault, twin);
                    Console.Error.WriteLine($"twin: fault injected: kill {fault.Kill} {fault.Target} when {string.Join(",", fault.When.Select(w => $"{w.Key}={w.Value}"))}");
                }
                try { await Task.Delay(30, stop.Token); } catch (OperationCanceledException) { }
            }
        });
    }

    private static bool Holds(Fault fault, Twin twin)
    {
        foreach (var (key, value) in fault.When)
        {
            switch (key)
            {
                case "phase":
                    var pod = twin.Oms.Pods.Values.FirstOrDefault(p => p.Sandbox.Name == fault.Target);
                    var state = pod is null ? null : Directory.GetFiles(pod.Sandbox.Dir, "state.json", SearchOption.AllDirectories).FirstOrDefault();
                    if (state is null) return false;
                    try { if (JsonNode.Parse(File.ReadAllText(state))?["phase"]?.GetValue<string>() != value) return false; }
                    catch (Exception e) when (e is IOException or System.Text.Json.JsonException) { return false; }
                    break;
                case "joinedWithoutMarker":
                    var ring = new OzoneSimulator.SimState(twin.Cluster.SimState).Read();
                    var marker = Path.Combine(twin.Cluster.PvcDir($"data-{fault.Target}"), "metadata", "om-lifecycle.marker");
                    if (!(ring.Voters.Contains(fault.Target) && !File.Exists(marker))) return false;
                    break;
                case "operation":
                    var op = twin.Cluster.Get("v1", "ConfigMap", $"{twin.OmName}-ring")?["data"]?["operation"]?.GetValue<string>() ?? "";
                    if (!op.Contains($"\"step\":\"{value}\"", StringComparison.Ordinal)) return false;
                    break;
                case "wipe":
                    if (!twin.RunningJobs.Keys.Any(k => k.EndsWith(JobSuffix(fault.Target), StringComparison.Ordinal))) return false;
                    break;
                default:
                    return false;
            }
        }
        return true;
    }

    private static async Task KillAsync(Fault fault, Twin twin)
    {
        switch (fault.Kill)
        {
            case "pod":
                await twin.Oms.DeletePodAsync(int.Parse(fault.Target.Split('-').Last()), graceful: false);
                break;
            case "process":
                twin.Oms.KillContainer(int.Parse(fault.Target.Split('-').Last()));
                break;
            case "job":
                var job = twin.RunningJobs.FirstOrDefault(j => j.Key.EndsWith(JobSuffix(fault.Target), StringComparison.Ordinal));
                try { job.Value.Process?.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
                break;
        }
    }

    /// <summary>"scale-in" names the scale-in Job; "wipe-&lt;node&gt;" the wipe Job of that node's ordinal.</summary>
    private static string JobSuffix(string target) =>
        target.StartsWith("wipe-", StringComparison.Ordinal) ? $"-wipe-{target.Split('-').Last()}" : $"-{target}";

    public async Task StopAsync()
    {
        await stop.CancelAsync();
        await loop;
    }

    public void Dispose() => stop.Dispose();
}
