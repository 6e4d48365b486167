using System.Diagnostics;
using System.Text.Json.Nodes;

namespace ClusterTwin;

/// <summary>
/// Real-cluster mode: the same scenario files and expectations, against the cluster in KUBECONFIG
/// with real Ozone images (users' CI on kind). The ring is observed through `om-lifecycle status`
/// in an OM pod and the data invariant uses the real `ozone sh` CLI. Leader changes are counted as
/// the growth of the leader's Raft term. Fault injection needs the twin's hooks into processes, so
/// faults are reported as not injected here, and `ozone` calls are not counted.
/// </summary>
/// <param name="tools">where a step's own Helm (`helm: helm3|helm4`) is found: the pinned binaries `make tools` installs.</param>
public sealed class RealClusterRunner(Scenario scenario, string helm, string kubectl, string chart, string work, string tools)
{
    private readonly RealClusterCommands commands = new(scenario.Release, scenario.Namespace, chart);
    private readonly List<string> keys = [];

    public async Task<List<StepReport>> RunAsync(Action<StepReport> onStep)
    {
        Directory.CreateDirectory(work);
        var values = Path.Combine(work, "values.yaml");
        await File.WriteAllTextAsync(values, scenario.ValuesYaml);
        var reports = new List<StepReport>();
        for (var i = 0; i < scenario.Steps.Count; i++)
        {
            var step = scenario.Steps[i];
            var clock = Stopwatch.StartNew();
            var failures = new List<string>();
            var before = await ObserveAsync();
            var restartsBefore = await RestartsAsync();
            if (step.Faults.Count > 0) failures.Add("faults are not injected in real-cluster mode (the twin runs them offline)");
            // Not a failure: a real joiner is slow enough that a step written around a stalled one still holds, or honestly fails its expectations.
            if (step.StallBootstrap is { Count: > 0 }) Console.Error.WriteLine($"cluster-twin: step {i + 1}: stallBootstrap is played by the twin only; here the joiners bootstrap at their real speed");
            if (step.Isolate is { Count: > 0 }) Console.Error.WriteLine($"cluster-twin: step {i + 1}: isolate is played by the twin only (a network partition needs a NetworkPolicy or a CNI that can cut pods off); here nothing is cut off");
            var stepHelm = step.Helm is { } own ? Path.Combine(tools, own) : helm;
            var ok = step.Action switch
            {
                "install" or "upgrade" => await RunAsync(stepHelm, commands.HelmUpgrade(values, step.Set, step.Wait, step.HelmTimeout, step.Atomic)) == 0,
                "sync" => await new RealClusterSync(commands, stepHelm, kubectl, work, CaptureAsync).RunAsync(values, step.Set),
                "rollback" => await RunAsync(stepHelm, commands.HelmRollback(step.Revision ?? 1, step.HelmTimeout)) == 0,
                "uninstall" => await UninstallAsync(stepHelm, step.DeleteVolumes),
                "transfer-leader" => await RunAsync(kubectl, commands.TransferLeader(step.To!)) == 0,
                // graceful is kubectl delete pod, as in the twin; a crash or a lost node cannot be caused from kubectl alone.
                "kill-pod" when step.Mode == "graceful" => await RunAsync(kubectl, commands.DeletePod(step.Pod!)) == 0,
                "kill-pod" when step.Mode == "evict" => await EvictAsync(step.Pod!),
                "kill-pod" => NotPlayed(failures, $"kill-pod mode {step.Mode} is played by the twin only; on a cluster use mode: graceful or evict"),
                // Making a real API server fail on cue needs a proxy in front of it; the twin plays it offline.
                "api-fault" => NotPlayed(failures, "api-fault is played by the twin only (its fake API server fails on cue); on a cluster the step is not played"),
                _ => false,
            };
            // The step ends when the OM StatefulSet has rolled out, --wait or not (after an uninstall there is none).
            if (ok && step.Settle && step.Action != "uninstall" && await RunAsync(kubectl, commands.OmRolloutStatus()) != 0) failures.Add("the OM StatefulSet did not finish its rollout");
            var after = await ObserveAsync();
            var restarts = (await RestartsAsync()).Where(r => restartsBefore.ContainsKey(r.Key)).Sum(r => r.Value - restartsBefore[r.Key]);
            var decommissioned = before.Voters.Except(after.Voters).ToList();
            var bootstrapped = before.Voters.Count == 0 ? [] : after.Voters.Except(before.Voters).ToList();
            var wiped = decommissioned.Where(d => !after.PendingWipe.Contains(d)).ToList();
            var e = step.Expect;
            if (e.ReleaseFails == ok) failures.Add(e.ReleaseFails ? "the release was expected to fail" : "the step's command failed");
            Compare(failures, "members", e.Members, after.Voters);
            Compare(failures, "bootstrapped", e.Bootstrapped, bootstrapped);
            Compare(failures, "decommissioned", e.Decommissioned, decommissioned);
            Compare(failures, "wiped", e.Wiped, wiped);
            if (e.Leader is not null && after.Leader != e.Leader) failures.Add($"leader: expected {e.Leader}, got {after.Leader}");
            if (e.LeaderNot is not null && after.Leader == e.LeaderNot) failures.Add($"leader: expected not {e.LeaderNot}");
            if (e.MaxOmRestarts is { } max && restarts > max) failures.Add($"OM restarts: {restarts} > {max}");
            if (e.OmRestarts is { } exact && restarts != exact) failures.Add($"OM restarts: expected {exact}, got {restarts}");
            var leaderChanges = LeaderChanges(before.Term, after.Term);
            if (e.MaxLeaderChanges is { } maxChanges && leaderChanges > maxChanges) failures.Add($"leader changes (Raft term grew by): {leaderChanges} > {maxChanges}");
            if (after.Leader is null && after.Voters.Count > 0) failures.Add("the ring has no leader");
            if (e.ScmMembers is not null || e.RegisteredDatanodes is not null) await CheckScmAsync(failures, e);
            if (e.OmLog is { } said) await CheckOmLogsAsync(failures, said);
            if (e.ApplyMethod is { } expectedMethod)
            {
                var (code, metadata) = await CaptureAsync(stepHelm, commands.HelmGetMetadata());
                var method = code == 0 ? RealClusterCommands.ApplyMethodOf(metadata) : "none";
                if (method != expectedMethod) failures.Add($"applyMethod: expected the newest revision applied {expectedMethod}, got {method}");
            }
            // With the release uninstalled no OM answers; the keys are read again once an install brings the ring back.
            foreach (var key in step.Action == "uninstall" ? [] : keys)
            {
                if (await RunAsync(kubectl, commands.CatKey(key)) != 0) failures.Add($"key {key} is not readable");
            }
            if (ok && after.Leader is not null) await PutKeyAsync(i + 1);
            var report = new StepReport(i + 1, step.Name, Path.GetFileName(stepHelm), failures.Count == 0, failures, after.Voters, after.Leader, bootstrapped, decommissioned, wiped,
                restarts, leaderChanges, 0, Math.Round(clock.Elapsed.TotalSeconds, 1), 0, !ok);
            reports.Add(report);
            onStep(report);
        }
        return reports;
    }

    /// <summary>
    /// Every election and every leader transfer raises the leader's Raft term by one, so its growth
    /// over a step counts leader changes (a first install counts its first election). Unknown after: 0.
    /// </summary>
    public static int LeaderChanges(long? before, long? after) => after is { } a ? (int)(a - (before ?? 0)) : 0;

    private async Task PutKeyAsync(int step)
    {
        if (keys.Count == 0)
        {
            await RunAsync(kubectl, commands.CreateVolume());
            await RunAsync(kubectl, commands.CreateBucket());
        }
        var key = $"/twin/bucket/step-{step}";
        if (await RunAsync(kubectl, commands.PutKey(key)) == 0) keys.Add(key);
    }

    private sealed record Observation(List<string> Voters, string? Leader, List<string> PendingWipe, long? Term = null);

    private async Task<Observation> ObserveAsync()
    {
        var (code, stdout) = await CaptureAsync(kubectl, commands.Status(0));
        var pending = (await CaptureAsync(kubectl, commands.RingRecord())).Output;
        var pendingWipe = JsonNode.Parse(pending.Length > 0 ? pending : "{}")?["pendingWipe"]?.GetValue<string>()?.Split(',', StringSplitOptions.RemoveEmptyEntries).ToList() ?? [];
        if (code != 0) return new Observation([], null, pendingWipe);
        var status = JsonNode.Parse(stdout)!;
        return new Observation(status["voters"]!.AsArray().Select(v => v!.GetValue<string>()).ToList(), status["leader"]?.GetValue<string>(), pendingWipe,
            status["term"]?.GetValue<long>());
    }

    /// <summary>The SCM ring and the registered datanodes, through the real `ozone admin` CLI in the first SCM pod.</summary>
    private async Task CheckScmAsync(List<string> failures, Expectations e)
    {
        if (e.ScmMembers is { } expected)
        {
            var (code, output) = await CaptureAsync(kubectl, commands.ScmRoles());
            if (code != 0 || RealClusterScm.ScmMembers(output) is not { } members) failures.Add($"scmMembers: 'ozone admin scm roles --json' gave no SCM ring (exit {code})");
            else Compare(failures, "scmMembers", expected, members);
        }
        if (e.RegisteredDatanodes is { } count)
        {
            var (code, output) = await CaptureAsync(kubectl, commands.DatanodeList());
            if (code != 0) (code, output) = await CaptureAsync(kubectl, commands.DatanodeList(all: false));
            if (code != 0 || RealClusterScm.RegisteredDatanodes(output) is not { } registered) failures.Add($"registeredDatanodes: 'ozone admin datanode list --json' failed (exit {code})");
            else if (registered != count) failures.Add($"registeredDatanodes: expected {count}, got {registered}");
        }
    }

    /// <summary>Evicts a pod through the Eviction subresource, as kubectl drain does; false when the API refuses (a disruption budget: 429).</summary>
    private async Task<bool> EvictAsync(string pod)
    {
        var body = Path.Combine(work, $"eviction-{pod}.json");
        await File.WriteAllTextAsync(body, commands.EvictionBody(pod));
        return await RunAsync(kubectl, commands.EvictPod(pod, body)) == 0;
    }

    /// <summary>helm uninstall; then, when the step says so, kubectl deletes the PVCs it names. The keys written before went with any of them.</summary>
    private async Task<bool> UninstallAsync(string stepHelm, string? deleteVolumes)
    {
        if (await RunAsync(stepHelm, commands.HelmUninstall()) != 0) return false;
        if (deleteVolumes is null) return true;
        keys.Clear();
        return await RunAsync(kubectl, commands.DeleteVolumes(deleteVolumes)) == 0;
    }

    /// <summary>omLog: every OM pod's `om` container log, the running container's and the one before its last restart, says <paramref name="said"/>.</summary>
    private async Task CheckOmLogsAsync(List<string> failures, string said)
    {
        var pods = (await CaptureAsync(kubectl, commands.OmPodNames())).Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (pods.Length == 0) failures.Add($"omLog: no OM pod runs to say '{said}'");
        foreach (var pod in pods)
        {
            var current = (await CaptureAsync(kubectl, commands.OmLog(pod, previous: false))).Output;
            var previous = (await CaptureAsync(kubectl, commands.OmLog(pod, previous: true))).Output;
            if (!(current + previous).Contains(said, StringComparison.Ordinal)) failures.Add($"omLog: {pod}'s om container log does not say '{said}'");
        }
    }

    private async Task<Dictionary<string, int>> RestartsAsync()
    {
        var (_, output) = await CaptureAsync(kubectl, commands.RestartCounts());
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('='))
            .Where(p => p.Length == 2 && int.TryParse(p[1], out _)).ToDictionary(p => p[0], p => int.Parse(p[1]));
    }

    private static void Compare(List<string> failures, string what, IReadOnlyList<string>? expected, List<string> actual)
    {
        if (expected is not null && !expected.Order().SequenceEqual(actual.Order()))
            failures.Add($"{what}: expected [{string.Join(", ", expected)}], got [{string.Join(", ", actual)}]");
    }

    private static async Task<int> RunAsync(string exe, IReadOnlyList<string> args) => (await CaptureAsync(exe, args)).Code;

    private static async Task<(int Code, string Output)> CaptureAsync(string exe, IReadOnlyList<string> args)
    {
        var info = new ProcessStartInfo(exe) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) info.ArgumentList.Add(a);
        using var p = Process.Start(info)!;
        var o = p.StandardOutput.ReadToEndAsync();
        var e = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        var err = await e;
        if (p.ExitCode != 0) Console.Error.WriteLine($"cluster-twin: {Path.GetFileName(exe)} {string.Join(' ', args)} -> exit {p.ExitCode}: {err.Trim()}");
        return (p.ExitCode, await o);
    }

    private static bool NotPlayed(List<string> failures, string why)
    {
        failures.Add(why);
        return false;
    }
}
