using System.Diagnostics;
using System.Text.Json;
using OmLifecycle.Tests.Cli;
using OmLifecycle.Tests.Membership;
using OzoneSimulator;

namespace OmLifecycle.Tests.EndToEnd;

/// <summary>
/// OM "pods" on one machine: each node has its own directory (volume, conf, run state, membership
/// copy) and its own loopback address, runs the real om-lifecycle binary, and talks to the Ozone
/// simulator. No Kubernetes here: the hook and twin tests add that.
/// </summary>
public sealed class SimulatedRing : IAsyncDisposable
{
    private static int nextNet = 10 + (Environment.ProcessId % 100);
    private readonly Dictionary<string, System.Diagnostics.Process> pods = [];
    private readonly int net = Interlocked.Increment(ref nextNet) % 250 + 2;

    public SimulatedRing()
    {
        Root = Directory.CreateTempSubdirectory("simring").FullName;
        Directory.CreateDirectory(StateDir);
    }

    public string Root { get; }

    public string StateDir => Path.Combine(Root, "sim");

    public SimState Sim => new(StateDir);

    public static string SimulatorPath => Path.Combine(AppContext.BaseDirectory, "ozone");

    public MembershipYaml Membership(int replicas, int? previous) => new()
    {
        Replicas = replicas,
        PreviousReplicas = previous,
        HostPattern = $"127.{net}.{{ordinal}}.1",
    };

    public string NodeDir(int ordinal) => Path.Combine(Root, $"ozone-om-{ordinal}");

    public string MetadataDir(int ordinal) => Path.Combine(NodeDir(ordinal), "data", "metadata");

    public string MarkerPath(int ordinal) => Path.Combine(MetadataDir(ordinal), "om-lifecycle.marker");

    /// <summary>Writes the node's own copy of the membership (its volume path differs per node here).</summary>
    public void WriteMembership(int ordinal, MembershipYaml yaml)
    {
        yaml.MetadataDir = MetadataDir(ordinal);
        Directory.CreateDirectory(Path.Combine(NodeDir(ordinal), "conf"));
        File.WriteAllText(Path.Combine(NodeDir(ordinal), "membership.yaml"), yaml.Render());
        var site = Path.Combine(NodeDir(ordinal), "conf", "ozone-site.xml");
        if (!File.Exists(site))
            File.WriteAllText(site, $"<configuration><property><name>ozone.metadata.dirs</name><value>{MetadataDir(ordinal)}</value></property></configuration>");
    }

    public Dictionary<string, string?> Env(int ordinal) => new()
    {
        ["POD_NAME"] = $"ozone-om-{ordinal}",
        ["OM_LIFECYCLE_MEMBERSHIP"] = Path.Combine(NodeDir(ordinal), "membership.yaml"),
        ["OZONE_CONF_DIR"] = Path.Combine(NodeDir(ordinal), "conf"),
        ["OM_LIFECYCLE_RUN_DIR"] = Path.Combine(NodeDir(ordinal), "run"),
        ["OZONE_BIN"] = SimulatorPath,
        ["OZONE_SIM_STATE"] = StateDir,
        ["OZONE_SIM_TIME_SCALE"] = "0.01",
        ["OM_LIFECYCLE_POLL_MS"] = "100",
    };

    /// <summary>Starts `om-lifecycle start -- ozone om` as node <paramref name="ordinal"/>'s container.</summary>
    public System.Diagnostics.Process StartPod(int ordinal)
    {
        var info = new ProcessStartInfo(OmLifecycleBinary.Path) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "start", "--", SimulatorPath, "om" }) info.ArgumentList.Add(a);
        foreach (var name in new[] { "POD_NAME", "HOSTNAME", "KUBERNETES_SERVICE_HOST", "OM_LIFECYCLE_KUBECONFIG" }) info.Environment.Remove(name);
        foreach (var (k, v) in Env(ordinal)) info.Environment[k] = v;
        var process = System.Diagnostics.Process.Start(info)!;
        var log = Path.Combine(NodeDir(ordinal), "container.log");
        _ = Pump(process.StandardOutput, log);
        _ = Pump(process.StandardError, log);
        pods[$"ozone-om-{ordinal}"] = process;
        return process;
    }

    public async Task<int> StopPodAsync(int ordinal, bool hard = false)
    {
        if (!pods.Remove($"ozone-om-{ordinal}", out var process)) return -1;
        if (hard) process.Kill(entireProcessTree: true);
        else Signal(process.Id, 15);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(timeout.Token);
        return process.ExitCode;
    }

    public Ring Ring() => Sim.Read();

    /// <summary>Polls until <paramref name="condition"/> holds or the deadline passes (then fails with what it saw).</summary>
    public async Task WaitUntilAsync(Func<Ring, bool> condition, string what, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(60));
        while (DateTime.UtcNow < deadline)
        {
            var ring = Ring();
            if (condition(ring)) return;
            await Task.Delay(50);
        }
        throw new TimeoutException($"Not reached: {what}. Ring: {JsonSerializer.Serialize(Ring())}\n{Logs()}");
    }

    public string Logs() => string.Join("\n", Directory.GetFiles(Root, "container.log", SearchOption.AllDirectories)
        .Select(f => $"--- {f}\n{string.Join('\n', File.ReadAllLines(f).TakeLast(15))}"));

    public async ValueTask DisposeAsync()
    {
        foreach (var process in pods.Values)
        {
            try { process.Kill(entireProcessTree: true); await process.WaitForExitAsync(); } catch (InvalidOperationException) { }
        }
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { }
    }

    private static async Task Pump(StreamReader reader, string path)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            lock (reader.BaseStream) File.AppendAllText(path, line + "\n");
        }
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill")]
    private static extern int Signal(int pid, int sig);
}
