using System.Diagnostics;

namespace OzoneSimulator.Tests;

/// <summary>A state dir and per-node config dirs for running the real `ozone` simulator executable.</summary>
public sealed class SimCluster : IDisposable
{
    // Loopback nets 127.130-249.x.x belong to these tests; om-lifecycle's tests use 10-129.
    private static int nextNet;
    private readonly List<Process> processes = [];

    public SimCluster()
    {
        Root = Directory.CreateTempSubdirectory("simtest").FullName;
        Net = 130 + Interlocked.Increment(ref nextNet) % 120;
        Directory.CreateDirectory(StateDir);
    }

    public string Root { get; }

    /// <summary>The Ozone release the simulator plays (OZONE_SIM_VERSION); null plays its default.</summary>
    public string? Release { get; set; }

    /// <summary>The persistent volumes the processes see, as the twin declares them (OZONE_SIM_VOLUME_BYTES); null: none.</summary>
    public string? VolumeBytes { get; set; }

    public int Net { get; }

    public string StateDir => Path.Combine(Root, "state");

    public SimState State => new(StateDir);

    public static string Ozone => Path.Combine(AppContext.BaseDirectory, "ozone");

    public string Host(int i) => $"127.{Net}.{i}.1";

    public string Metadata(int i) => Path.Combine(Root, $"om{i}", "data");

    public string ConfDir(int i) => Path.Combine(Root, $"om{i}", "conf");

    /// <summary>Writes node <paramref name="i"/>'s ozone-site.xml listing <paramref name="nodes"/> (and the decommissioned ones).</summary>
    public void Configure(int i, IEnumerable<int> nodes, IEnumerable<int>? decommissioned = null)
    {
        Directory.CreateDirectory(ConfDir(i));
        var all = nodes.Concat(decommissioned ?? []).Distinct().ToList();
        var props = new List<(string, string)>
        {
            ("ozone.om.service.ids", "svc"),
            ("ozone.om.node.id", $"om{i}"),
            ("ozone.metadata.dirs", Metadata(i)),
            ("ozone.om.nodes.svc", string.Join(",", nodes.Select(n => $"om{n}"))),
        };
        if (decommissioned?.Any() == true) props.Add(("ozone.om.decommissioned.nodes.svc", string.Join(",", decommissioned.Select(n => $"om{n}"))));
        foreach (var n in all)
        {
            props.Add(($"ozone.om.address.svc.om{n}", $"{Host(n)}:9862"));
            props.Add(($"ozone.om.http-address.svc.om{n}", $"{Host(n)}:9874"));
        }
        File.WriteAllText(Path.Combine(ConfDir(i), "ozone-site.xml"),
            "<configuration>" + string.Concat(props.Select(p => $"<property><name>{p.Item1}</name><value>{p.Item2}</value></property>")) + "</configuration>");
    }

    public ProcessStartInfo Info(int confOf, params string[] args)
    {
        var info = new ProcessStartInfo(Ozone) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) info.ArgumentList.Add(a);
        info.Environment["OZONE_SIM_STATE"] = StateDir;
        info.Environment["OZONE_CONF_DIR"] = ConfDir(confOf);
        // The launcher refuses to start a daemon without writable log and pid dirs (ozone-functions.sh).
        info.Environment["OZONE_LOG_DIR"] = Path.Combine(Root, $"om{confOf}", "logs");
        info.Environment["OZONE_PID_DIR"] = Path.Combine(Root, $"om{confOf}", "run");
        info.Environment["OZONE_SIM_TIME_SCALE"] = "0.01";
        if (Release is not null) info.Environment[OzoneVersion.Variable] = Release;
        if (VolumeBytes is not null) info.Environment[BootstrapSpace.VolumesVariable] = VolumeBytes;
        return info;
    }

    /// <summary>Runs a short command to completion.</summary>
    public async Task<(int Code, string Out, string Err)> RunAsync(int confOf, params string[] args)
    {
        using var p = Process.Start(Info(confOf, args))!;
        var o = p.StandardOutput.ReadToEndAsync();
        var e = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        return (p.ExitCode, await o, await e);
    }

    /// <summary>Starts a long-running `ozone om …` for node <paramref name="i"/>.</summary>
    public Process Start(int i, params string[] args)
    {
        var p = Process.Start(Info(i, ["om", .. args]))!;
        _ = p.StandardOutput.ReadToEndAsync();
        var err = new System.Text.StringBuilder();
        p.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (err) err.AppendLine(e.Data); };
        p.BeginErrorReadLine();
        errors[p] = err;
        processes.Add(p);
        return p;
    }

    /// <summary>What a process from <see cref="Start"/> wrote to stderr, once it has exited.</summary>
    public async Task<string> ErrorOf(Process p)
    {
        await p.WaitForExitAsync();
        return StderrSoFar(p);
    }

    /// <summary>What a process from <see cref="Start"/> has written to stderr up to now.</summary>
    public string StderrSoFar(Process p)
    {
        var err = errors[p];
        lock (err) return err.ToString();
    }

    private readonly Dictionary<Process, System.Text.StringBuilder> errors = [];

    /// <summary>Inits and starts nodes 0..n-1 as the initial ring and waits for a leader.</summary>
    public async Task FormRingAsync(int n)
    {
        for (var i = 0; i < n; i++)
        {
            Configure(i, Enumerable.Range(0, n));
            (await RunAsync(i, "om", "--init")).Code.Should().Be(0);
        }
        for (var i = 0; i < n; i++) Start(i);
        await UntilAsync(r => r.Leader is not null && r.Voters.Count == n && Enumerable.Range(0, n).All(i => r.Running.ContainsKey($"om{i}")), "ring formed");
    }

    public Task UntilAsync(Func<Ring, bool> condition, string what) => UntilAsync(() => condition(State.Read()), what);

    public async Task UntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (condition()) return;
            await Task.Delay(25);
        }
        throw new TimeoutException(what);
    }

    public async Task<string> JmxAsync(int i) => (await JmxAnswerAsync(i)).Body;

    /// <summary>The Ratis query's answer: its Content-Type as sent and its body, decoded as UTF-8 whatever the label says.</summary>
    public async Task<(string ContentType, string Body)> JmxAnswerAsync(int i)
    {
        using var http = new HttpClient();
        using var response = await http.GetAsync($"http://{Host(i)}:9874/jmx?qry=Ratis:service=RaftServer,group=*,id=*");
        response.EnsureSuccessStatusCode();
        var contentType = string.Join(", ", response.Content.Headers.GetValues("Content-Type"));
        return (contentType, System.Text.Encoding.UTF8.GetString(await response.Content.ReadAsByteArrayAsync()));
    }

    public void Dispose()
    {
        foreach (var p in processes)
        {
            try { p.Kill(); p.WaitForExit(); } catch (InvalidOperationException) { }
        }
        Directory.Delete(Root, recursive: true);
    }
}
