using System.Diagnostics;
using System.Text.Json.Nodes;

namespace ClusterTwin.Tests;

/// <summary>
/// A step ends when the cluster has settled, so its report does not depend on timing: the same
/// scenario, run several times, two twins at once (each the other's CPU load), gives the same
/// report apart from durations and sample counts. Both twins use the same pod subnet on purpose:
/// each runs in its own network namespace, so two runs on one machine never meet.
/// </summary>
public sealed class RepeatabilityTests : IDisposable
{
    private const int Rounds = 3;
    private const int SharedSubnet = 90;
    private readonly string work = TwinWorkDir.Create("twin-repeat");

    public void Dispose() => Directory.Delete(work, recursive: true);

    [Fact]
    public async Task Six_runs_of_a_rolling_update_scenario_two_at_a_time_give_the_same_report()
    {
        var repo = Repo();
        var scenario = Path.Combine(repo, "tests", "ClusterTwin.Tests", "Scenarios", "settle-rolling-update.yaml");
        var runs = new List<(string Output, JsonObject Report)>();
        for (var round = 0; round < Rounds; round++)
            runs.AddRange(await Task.WhenAll(RunAsync(repo, scenario, $"r{round}a", SharedSubnet), RunAsync(repo, scenario, $"r{round}b", SharedSubnet)));

        foreach (var (output, report) in runs) report["passed"]!.GetValue<bool>().Should().BeTrue(output);
        var first = Comparable(runs[0].Report);
        foreach (var (output, report) in runs.Skip(1))
            Comparable(report).Should().Be(first, $"every run reports the same per-step figures; this one:\n{output}\nthe first:\n{runs[0].Output}");
        var rolling = runs[0].Report["steps"]![2]!;
        rolling["OmRestarts"]!.GetValue<int>().Should().Be(3);
        rolling["Bootstrapped"]!.AsArray().Should().BeEmpty();
        rolling["LeaderChanges"]!.GetValue<int>().Should().BeLessThanOrEqualTo(1);
    }

    /// <summary>
    /// The report without what timing decides by nature: durations and how often the quorum watch
    /// sampled. `ozone` calls are compared: a joiner runs `--bootstrap` only once every member has
    /// recorded a file that lists it (BootstrapReadiness), so a grow step always counts the same calls.
    /// </summary>
    private static string Comparable(JsonObject report)
    {
        var steps = (JsonArray)report["steps"]!.DeepClone();
        foreach (var step in steps.OfType<JsonObject>())
        {
            step.Remove("Seconds");
            step.Remove("QuorumSamples");
        }
        return steps.ToJsonString();
    }

    private async Task<(string Output, JsonObject Report)> RunAsync(string repo, string scenario, string name, int subnet)
    {
        var report = Path.Combine(work, $"{name}.json");
        var info = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "cluster-twin"))
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in new[] { "run", scenario, "--helm", "helm4", "--repo", repo, "--work", Path.Combine(work, name), "--subnet", subnet.ToString(System.Globalization.CultureInfo.InvariantCulture), "--report", report })
            info.ArgumentList.Add(arg);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var output = await stdout + await stderr;
        File.Exists(report).Should().BeTrue($"cluster-twin wrote no report (exit {process.ExitCode}):\n{output}");
        return (await stdout, JsonNode.Parse(await File.ReadAllTextAsync(report))!.AsObject());
    }

    private static string Repo()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "OzoneChart.slnx"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("the repository root (OzoneChart.slnx) is not above the test binaries");
    }
}
