using System.Diagnostics;
using System.Text.Json;
using ClusterTwin;

// cluster-twin run SCENARIO [--helm helm3|helm4|both] [--report FILE] [--work DIR] [--subnet N]
// (--work and --subnet let two twins run side by side: own directories, pod IPs 127.N.<ordinal>.1)
// cluster-twin run SCENARIO --real-cluster [--helm-bin helm] [--kubectl kubectl] [--report FILE]
// Runs inside its own mount namespace, where /etc/hosts holds only localhost and /etc/resolv.conf
// names the twin's DNS server (TwinDnsServer), so getaddrinfo asks cluster DNS as a pod does.
if (args is not ["run", var scenarioPath, ..])
{
    Console.Error.WriteLine("usage: cluster-twin run SCENARIO.yaml [--helm helm3|helm4|both] [--report FILE]");
    return 2;
}
Scenario loaded;
try { loaded = Scenario.Load(scenarioPath); }
catch (FormatException e) { Console.Error.WriteLine($"cluster-twin: {scenarioPath}: {e.Message}"); return 2; }
string Option(string name, string fallback) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault() ?? fallback;
var repo = Option("--repo", FindRepo());
var tools = Environment.GetEnvironmentVariable("OZONE_CHART_TOOLS") is { Length: > 0 } t ? t : Path.Combine(repo, ".tools", "bin");
var helms = Option("--helm", "both") == "both" ? new[] { "helm3", "helm4" } : [Option("--helm", "helm4")];
var report = Option("--report", Path.Combine(repo, "out", "twin", Path.GetFileNameWithoutExtension(scenarioPath) + ".json"));
var omLifecycle = Environment.GetEnvironmentVariable("OM_LIFECYCLE_BIN") is { Length: > 0 } b ? b : Path.Combine(repo, "artifacts", "helper", "om-lifecycle");
var simulatorDir = AppContext.BaseDirectory;

if (args.Contains("--real-cluster"))
{
    // Real-cluster mode: helm and kubectl against KUBECONFIG, real Ozone; same files, same report.
    var realScenario = loaded;
    var helmBin = Option("--helm-bin", "helm");
    var realWork = Path.Combine(repo, "out", "cluster", realScenario.Name);
    Console.WriteLine($"scenario {realScenario.Name} on the cluster in KUBECONFIG with {helmBin}");
    Console.WriteLine(Table.Header);
    var realReports = await new RealClusterRunner(realScenario, helmBin, Option("--kubectl", "kubectl"), Path.Combine(repo, "charts", "ozone"), realWork, tools)
        .RunAsync(r =>
        {
            Console.WriteLine(Table.Row(r));
            foreach (var failure in r.Failures) Console.WriteLine($"      FAILED: {failure}");
        });
    var realPassed = realReports.All(r => r.Passed);
    Directory.CreateDirectory(Path.GetDirectoryName(report)!);
    await File.WriteAllTextAsync(report, JsonSerializer.Serialize(new { scenario = realScenario.Name, file = scenarioPath, mode = "real-cluster", passed = realPassed, steps = realReports }, new JsonSerializerOptions { WriteIndented = true }));
    Console.WriteLine($"report: {report}");
    return realPassed ? 0 : 1;
}

if (Environment.GetEnvironmentVariable("CLUSTER_TWIN_IN_NAMESPACE") is null)
{
    // Re-run this program in a private mount namespace, so that /etc/hosts and /etc/resolv.conf can be the twin's own,
    // and a private network namespace, so that its pod addresses and ports never meet another
    // twin's or a test run's on the same machine.
    var info = new ProcessStartInfo("unshare", ["--mount", "--propagation", "private", "--net", "--", Environment.ProcessPath!, .. args]) { UseShellExecute = false };
    info.Environment["CLUSTER_TWIN_IN_NAMESPACE"] = "1";
    try
    {
        using var child = Process.Start(info)!;
        await child.WaitForExitAsync();
        return child.ExitCode;
    }
    catch (System.ComponentModel.Win32Exception e)
    {
        Console.Error.WriteLine($"cluster-twin: cannot run 'unshare' ({e.Message}); the twin needs util-linux's unshare and root (or user namespaces) for its own /etc/hosts, /etc/resolv.conf and network.");
        return 2;
    }
}

if (!File.Exists(omLifecycle)) { Console.Error.WriteLine($"cluster-twin: {omLifecycle} is missing; run 'make helper'."); return 2; }
// A new network namespace starts with its loopback down.
if (!RunQuietly("ip", "link", "set", "lo", "up")) { Console.Error.WriteLine("cluster-twin: cannot bring up the loopback of the twin's network namespace ('ip link set lo up' from iproute2; 'make tools' installs it)."); return 2; }
var scenario = loaded;
var outDir = Path.GetFullPath(Option("--work", Path.Combine(repo, "out", "twin")));

Directory.CreateDirectory(outDir);
if (!int.TryParse(Option("--subnet", "77"), out var subnet) || subnet is < 1 or > 254) { Console.Error.WriteLine("cluster-twin: --subnet takes a number from 1 to 254 (pod IPs are 127.N.<ordinal>.1)."); return 2; }
var hostsFile = Path.Combine(outDir, $"hosts-{Environment.ProcessId}");
File.WriteAllText(hostsFile, "127.0.0.1 localhost\n");
var resolvConf = Path.Combine(outDir, $"resolv-{Environment.ProcessId}.conf");
File.WriteAllText(resolvConf, TwinDnsServer.ResolvConf(subnet));
foreach (var (file, target) in new[] { (hostsFile, "/etc/hosts"), (resolvConf, "/etc/resolv.conf") })
{
    if (RunQuietly("mount", "--bind", file, target)) continue;
    Console.Error.WriteLine($"cluster-twin: cannot bind-mount the twin's {Path.GetFileName(target)} over {target} (needs root in the mount namespace).");
    return 2;
}

var all = new List<StepReport>();
var passed = true;
foreach (var helm in helms)
{
    var work = Path.Combine(outDir, $"{scenario.Name}-{helm}");
    if (Directory.Exists(work)) Directory.Delete(work, recursive: true);
    Console.WriteLine($"scenario {scenario.Name} ({Path.GetFileName(scenarioPath)}) with {helm}");
    Console.WriteLine(Table.Header);
    await using var twin = new Twin(scenario, Path.Combine(tools, helm), repo, omLifecycle, simulatorDir, work, subnet);
    var reports = await twin.RunAsync(r =>
    {
        Console.WriteLine(Table.Row(r));
        foreach (var failure in r.Failures) Console.WriteLine($"      FAILED: {failure}");
    });
    all.AddRange(reports);
    passed &= reports.All(r => r.Passed);
}
File.Delete(hostsFile);
File.Delete(resolvConf);
Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(report))!);
await File.WriteAllTextAsync(report, JsonSerializer.Serialize(new { scenario = scenario.Name, file = scenarioPath, passed, steps = all }, new JsonSerializerOptions { WriteIndented = true }));
Console.WriteLine($"report: {report}");
Console.WriteLine(passed ? "PASSED" : "FAILED");
return passed ? 0 : 1;

static bool RunQuietly(string program, params string[] arguments)
{
    try
    {
        using var process = Process.Start(new ProcessStartInfo(program, arguments) { UseShellExecute = false })!;
        process.WaitForExit();
        return process.ExitCode == 0;
    }
    catch (System.ComponentModel.Win32Exception) { return false; }
}

static string FindRepo()
{
    var dir = new DirectoryInfo(AppContext.BaseDirectory);
    while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "OzoneChart.slnx"))) dir = dir.Parent;
    return dir?.FullName ?? Directory.GetCurrentDirectory();
}
