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
    // Loopback nets 127.10-129.x.x belong to these tests; the simulator's own tests use 130-249.
    private static int nextNet;
    private readonly Dictionary<string, System.Diagnostics.Process> pods = [];
    private readonly int net = 10 + Interlocked.Increment(ref nextNet) % 120;

    public SimulatedRing()
    {
        Root = Directory.CreateTempSubdirectory("simring").FullName;
        Directory.CreateDirectory(StateDir);
    }

    public string Root { get; }

    /// <summary>The Ozone release the simulator plays (OZONE_SIM_VERSION, e.g. "2.2.1" or "master"); null plays the chart's default.</summary>
    public string? OzoneRelease { get; set; }

    public string StateDir => Path.Combine(Root, "sim");

    public SimState Sim => new(StateDir);

    public static string SimulatorPath => Path.Combine(AppContext.BaseDirectory, "ozone");

    public MembershipYaml Membership(int replicas, int? previous) => new()
    {
        Replicas = replicas,
        PreviousReplicas = previous,
        HostPattern = $"127.{net}.{{ordinal}}.1",
        DecommissionTimeout = 60,
        CommandTimeout = 30,
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

    /// <summary>The Kubernetes API the pods and hook Jobs use, with a StatefulSet whose scale stops pods like a kubelet.</summary>
    public FakeKubeApi.FakeKubeApiServer? Kube { get; private set; }

    public string? Kubeconfig { get; private set; }

    public void AttachKubernetes(int replicas)
    {
        Kube = new FakeKubeApi.FakeKubeApiServer();
        Kubeconfig = Kube.WriteKubeconfig(Path.Combine(Root, "kubeconfig"));
        // Created as Helm 4 creates it: applied server-side, so manager "helm" owns spec.replicas.
        var sts = System.Text.Json.Nodes.JsonNode.Parse("{\"apiVersion\":\"apps/v1\",\"kind\":\"StatefulSet\",\"metadata\":{\"name\":\"ozone-om\",\"namespace\":\"default\"},\"spec\":{\"replicas\":" + replicas + "}}")!.AsObject();
        FakeKubeApi.ReplicaOwnership.Apply(sts, null, replicas, "helm", force: false);
        Kube.Store.Put(FakeKubeApi.ApiResource.ByKind("apps/v1", "StatefulSet")!, "default", sts);
        Kube.Store.Changed += (resource, ns, name, obj) =>
        {
            if (resource.Kind != "StatefulSet" || name != "ozone-om" || obj is null) return;
            var size = obj["spec"]?["replicas"]?.GetValue<int>() ?? 0;
            List<int> above;
            lock (pods) above = pods.Keys.Select(k => int.Parse(k["ozone-om-".Length..])).Where(o => o >= size).ToList();
            foreach (var ordinal in above) _ = Task.Run(async () => await StopPodAsync(ordinal));
        };
    }

    public Dictionary<string, string?> Env(int ordinal) => new()
    {
        ["OM_LIFECYCLE_KUBECONFIG"] = Kubeconfig,
        ["POD_NAME"] = $"ozone-om-{ordinal}",
        ["OM_LIFECYCLE_MEMBERSHIP"] = Path.Combine(NodeDir(ordinal), "membership.yaml"),
        ["OZONE_CONF_DIR"] = Path.Combine(NodeDir(ordinal), "conf"),
        // The launcher refuses to start a daemon without writable log and pid dirs (ozone-functions.sh).
        ["OZONE_LOG_DIR"] = Path.Combine(NodeDir(ordinal), "logs"),
        ["OZONE_PID_DIR"] = Path.Combine(NodeDir(ordinal), "run"),
        ["OM_LIFECYCLE_RUN_DIR"] = Path.Combine(NodeDir(ordinal), "run"),
        ["OZONE_BIN"] = SimulatorPath,
        ["OZONE_SIM_STATE"] = StateDir,
        ["OZONE_SIM_TIME_SCALE"] = "0.01",
        ["OZONE_SIM_VERSION"] = OzoneRelease,
        ["OM_LIFECYCLE_POLL_MS"] = "100",
    };

    /// <summary>Starts `om-lifecycle start -- ozone om` as node <paramref name="ordinal"/>'s container.</summary>
    /// <summary>The tasks copying each pod process's stdout and stderr into its container.log, by process id.</summary>
    private readonly Dictionary<int, Task> logPumps = [];

    public System.Diagnostics.Process StartPod(int ordinal)
    {
        var info = OmLifecycleBinary.StartInfo("start", "--", SimulatorPath, "om");
        foreach (var name in new[] { "POD_NAME", "HOSTNAME", "KUBERNETES_SERVICE_HOST", "OM_LIFECYCLE_KUBECONFIG" }) info.Environment.Remove(name);
        foreach (var (k, v) in Env(ordinal)) { if (v is null) info.Environment.Remove(k); else info.Environment[k] = v; }
        var process = System.Diagnostics.Process.Start(info)!;
        var log = Path.Combine(NodeDir(ordinal), "container.log");
        var pumps = Task.WhenAll(Pump(process.StandardOutput, log), Pump(process.StandardError, log));
        lock (pods) { pods[$"ozone-om-{ordinal}"] = process; logPumps[process.Id] = pumps; }
        Kube?.Store.Add("{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"ozone-om-" + ordinal + "\",\"namespace\":\"default\"}}");
        return process;
    }

    /// <summary>Waits until the pod's process exits and everything it wrote is in its container.log.</summary>
    public async Task WaitForPodExitAsync(System.Diagnostics.Process pod, CancellationToken cancellationToken)
    {
        await pod.WaitForExitAsync(cancellationToken);
        Task? pumps;
        lock (pods) logPumps.TryGetValue(pod.Id, out pumps);
        if (pumps is not null) await pumps.WaitAsync(cancellationToken);
    }

    public async Task<int> StopPodAsync(int ordinal, bool hard = false)
    {
        System.Diagnostics.Process? process;
        lock (pods) if (!pods.Remove($"ozone-om-{ordinal}", out process)) return -1;
        if (hard) process.Kill(entireProcessTree: true);
        else Signal(process.Id, 15);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(timeout.Token);
        Kube?.Store.Delete(FakeKubeApi.ApiResource.ByKind("v1", "Pod")!, "default", $"ozone-om-{ordinal}");
        return process.ExitCode;
    }

    public Ring Ring() => Sim.Read();

    /// <summary>One `ozone` call the simulator recorded in calls.jsonl; a long-running `ozone om` is recorded at its start too, with no exit code.</summary>
    public sealed record OzoneCall(IReadOnlyList<string> Args, int? ExitCode);

    /// <summary>Every `ozone` call the simulator recorded, oldest first.</summary>
    public List<OzoneCall> OzoneCalls() =>
        File.ReadAllLines(Path.Combine(StateDir, "calls.jsonl"))
            .Select(l => System.Text.Json.Nodes.JsonNode.Parse(l)!)
            .Select(c => new OzoneCall(c["args"]!.AsArray().Select(a => a!.GetValue<string>()).ToList(), c["exitCode"]?.GetValue<int>()))
            .ToList();

    /// <summary>Changes the simulator's fault switches (faults.json) and writes them back.</summary>
    public void SetFaults(Action<OzoneSimulator.Faults> change)
    {
        var faults = Sim.Faults();
        change(faults);
        Sim.WriteFaults(faults);
    }

    /// <summary>The environment of a hook Job pod: not an OM, its own client config dir, the new membership.</summary>
    public Dictionary<string, string?> HookEnv(MembershipYaml yaml)
    {
        var dir = Path.Combine(Root, "hook");
        Directory.CreateDirectory(Path.Combine(dir, "conf"));
        yaml.MetadataDir = Path.Combine(dir, "data", "metadata");
        File.WriteAllText(Path.Combine(dir, "membership.yaml"), yaml.Render());
        return new()
        {
            ["POD_NAME"] = "ozone-om-scale-in-x7k2p",
            ["POD_IP"] = "127.0.0.1",
            ["OM_LIFECYCLE_MEMBERSHIP"] = Path.Combine(dir, "membership.yaml"),
            ["OZONE_CONF_DIR"] = Path.Combine(dir, "conf"),
            ["OZONE_BIN"] = SimulatorPath,
            ["OZONE_SIM_STATE"] = StateDir,
            ["OZONE_SIM_TIME_SCALE"] = "0.01",
            ["OZONE_SIM_VERSION"] = OzoneRelease,
            ["OM_LIFECYCLE_POLL_MS"] = "100",
            ["OM_LIFECYCLE_KUBECONFIG"] = Kubeconfig,
        };
    }

    /// <summary>The environment of a wipe Job: node <paramref name="ordinal"/>'s volume mounted as the metadata dir.</summary>
    public Dictionary<string, string?> WipeEnv(MembershipYaml yaml, int ordinal)
    {
        var env = HookEnv(yaml);
        yaml.MetadataDir = MetadataDir(ordinal);
        File.WriteAllText(env["OM_LIFECYCLE_MEMBERSHIP"]!, yaml.Render());
        env["POD_NAME"] = $"ozone-om-wipe-{ordinal}-abcde";
        return env;
    }

    /// <summary>Samples the ring in the background: did it ever lose its leader (its quorum)?</summary>
    public QuorumWatch WatchQuorum() => new(this);

    public sealed class QuorumWatch : IAsyncDisposable
    {
        private readonly CancellationTokenSource stop = new();
        private readonly Task loop;

        public QuorumWatch(SimulatedRing ring)
        {
            loop = Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    var state = ring.Ring();
                    Samples++;
                    var alive = state.Voters.Count(state.Running.ContainsKey);
                    if (state.Leader is null || !Election.HasMajority(alive, state.Voters.Count))
                        lock (Losses) Losses.Add($"voters {string.Join(",", state.Voters)}, running {string.Join(",", state.Running.Keys)}");
                    try { await Task.Delay(20, stop.Token); } catch (OperationCanceledException) { }
                }
            });
        }

        public int Samples { get; private set; }

        public List<string> Losses { get; } = [];

        public async ValueTask DisposeAsync()
        {
            await stop.CancelAsync();
            await loop;
        }
    }

    /// <summary>Polls until <paramref name="condition"/> holds or the deadline passes (then fails with what it saw).</summary>
    /// <summary>A first install without Kubernetes: nodes 0..n-1 start together and form the ring, each with its marker written.</summary>
    public async Task StartRingAsync(int replicas)
    {
        for (var i = 0; i < replicas; i++) WriteMembership(i, Membership(replicas, null));
        for (var i = 0; i < replicas; i++) StartPod(i);
        await WaitUntilAsync(r => r.Leader is not null && r.Voters.Count == replicas && Enumerable.Range(0, replicas).All(i => File.Exists(MarkerPath(i))),
            $"a ring of {replicas} with markers");
    }

    /// <summary>A first install with the loopback Kubernetes API (its StatefulSet at <paramref name="replicas"/>), as a chart install makes it.</summary>
    public async Task InstallAsync(int replicas)
    {
        AttachKubernetes(replicas);
        await StartRingAsync(replicas);
    }

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
        Kube?.Dispose();
        foreach (var process in pods.Values.ToList())
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
