using System.Diagnostics;
using k8s.Models;

namespace ClusterTwin;

/// <summary>
/// Runs a rendered container as a local process, the way the kubelet and the image's entrypoint
/// would: volumes become per-pod (or per-claim) directories and every path in env and files is
/// mapped to them; the image's ENV applies unless the pod's env overrides it, and the simulator
/// learns which of those directories the container can write; a container of the Ozone image runs
/// the image's entrypoint first (envtoconf, see <see cref="Entrypoint"/>);
/// `/opt/om-lifecycle/om-lifecycle` is the published binary and `ozone` is the simulator.
/// </summary>
public sealed class PodRuntime(Cluster cluster, string omLifecycleBin, string simulatorDir)
{
    public string SimulatorDir => simulatorDir;

    /// <summary>
    /// Whether pods run as their securityContext's user here: every user must be able to reach the
    /// simulator, om-lifecycle and the work directory (a checkout under /root cannot be). Otherwise
    /// they run as root, and the twin says so once: the run still plays everything else.
    /// </summary>
    private readonly Lazy<bool> playsUsers = new(() =>
    {
        var unreachable = new[] { simulatorDir, Path.GetDirectoryName(Path.GetFullPath(omLifecycleBin))!, cluster.Work }.FirstOrDefault(d => !EveryUserEnters(d));
        if (unreachable is null) return true;
        Console.Error.WriteLine($"twin: {unreachable} cannot be entered by other users, so the pods run as root here, not as their securityContext's user; clone the repository under a directory every user can traverse to play it.");
        return false;
    });

    /// <summary>Who a container runs as (<see cref="PodIdentity"/>), or root where the twin cannot play users.</summary>
    public PodIdentity IdentityOf(V1PodSpec pod, V1Container container) => playsUsers.Value ? PodIdentity.Of(pod, container) : PodIdentity.Root;

    private static bool EveryUserEnters(string path)
    {
        for (var dir = new DirectoryInfo(Path.GetFullPath(path)); dir is not null; dir = dir.Parent)
            if (dir.Exists && (File.GetUnixFileMode(dir.FullName) & UnixFileMode.OtherExecute) == 0) return false;
        return true;
    }

    /// <summary>One pod: its name, IP and the host directories behind its volume mounts.</summary>
    public sealed record PodSandbox(string Name, string Ip, string Dir, V1PodSpec Spec)
    {
        public Dictionary<string, string> Volumes { get; } = [];
    }

    public PodSandbox Prepare(string name, string ip, V1PodSpec spec, IReadOnlyDictionary<string, string>? claims = null)
    {
        var dir = Path.Combine(cluster.Work, "pods", name);
        var sandbox = new PodSandbox(name, ip, dir, spec);
        var owned = new List<string>();
        foreach (var volume in spec.Volumes ?? [])
        {
            string host;
            if (volume.PersistentVolumeClaim is { } pvc) host = cluster.PvcDir(pvc.ClaimName);
            else if (claims is not null && claims.TryGetValue(volume.Name, out var claim)) host = cluster.PvcDir(claim);
            else
            {
                host = Path.Combine(dir, "volumes", volume.Name);
                // A new pod gets new emptyDirs; only its containers' restarts keep them (Kubernetes docs,
                // "Volumes", emptyDir: created when the Pod is assigned to a node, deleted when it is removed).
                if (volume.EmptyDir is not null && Directory.Exists(host)) Directory.Delete(host, recursive: true);
            }
            Directory.CreateDirectory(host);
            if (volume.EmptyDir is not null) File.SetUnixFileMode(host, (UnixFileMode)Convert.ToInt32("777", 8));
            if (volume.EmptyDir is not null || volume.PersistentVolumeClaim is not null || volume.Ephemeral is not null || claims?.ContainsKey(volume.Name) == true) owned.Add(host);
            sandbox.Volumes[volume.Name] = host;
        }
        foreach (var (volume, claim) in claims ?? new Dictionary<string, string>())
        {
            if (sandbox.Volumes.ContainsKey(volume)) continue;
            sandbox.Volumes[volume] = cluster.PvcDir(claim);
            Directory.CreateDirectory(cluster.PvcDir(claim));
            owned.Add(cluster.PvcDir(claim));
        }
        // The kubelet gives the pod's fsGroup its writable volumes at mount (VolumeOwnership).
        if (spec.SecurityContext?.FsGroup is { } fsGroup)
            foreach (var host in owned) VolumeOwnership.Apply(host, fsGroup, spec.SecurityContext.FsGroupChangePolicy);
        RefreshConfigMaps(sandbox);
        return sandbox;
    }

    /// <summary>What the kubelet does for ConfigMap volumes (here at once; the twin calls it again after a change).</summary>
    public void RefreshConfigMaps(PodSandbox pod)
    {
        foreach (var volume in pod.Spec.Volumes ?? [])
        {
            if (volume.ConfigMap is not { } cm) continue;
            var data = cluster.Get("v1", "ConfigMap", cm.Name)?["data"]?.AsObject();
            if (data is null) continue;
            foreach (var (key, value) in data)
                WriteIfChanged(Path.Combine(pod.Volumes[volume.Name], key), MapText(pod, value!.GetValue<string>()));
        }
    }

    /// <summary>Starts one container of the pod; init containers are run to completion by the caller.</summary>
    public Process Start(PodSandbox pod, V1Container container, string logName)
    {
        var env = Environment(pod, container);
        var args = (container.Command ?? []).Concat(container.Args ?? []).ToList();
        if (args.Count == 0) throw new InvalidOperationException($"container {container.Name} has no args");
        if (ContainerImage.RunsOzoneEntrypoint(container) && RunEntrypoint(pod, container, env) is { } failure)
        {
            // The entrypoint exits 1 before `exec "$@"`: the container fails with its message and the kubelet restarts it.
            args = ["/bin/sh", "-c", "printf '%s\\n' \"$1\" >&2; exit 1", "entrypoint.sh", failure];
        }
        var (exe, rest) = IdentityOf(pod.Spec, container).Wrap(args[0] == "/opt/om-lifecycle/om-lifecycle" ? omLifecycleBin : args[0], args.Skip(1).ToList());
        var info = new ProcessStartInfo(exe) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in rest) info.ArgumentList.Add(a);
        info.Environment.Clear();
        foreach (var (k, v) in env) info.Environment[k] = v;
        var process = Process.Start(info)!;
        var log = Path.Combine(pod.Dir, logName + ".log");
        Directory.CreateDirectory(pod.Dir);
        _ = Pump(process.StandardOutput, log);
        _ = Pump(process.StandardError, log);
        return process;
    }

    /// <summary>Runs a command in a container of a running pod (kubectl exec, probes, preStop).</summary>
    public async Task<int> ExecAsync(PodSandbox pod, V1Container container, IReadOnlyList<string> command, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        return await ExecAsync(pod, container, command, cts.Token);
    }

    /// <summary>Runs the command in the container until it exits or <paramref name="deadline"/> is cancelled (then kills it: -1).</summary>
    public async Task<int> ExecAsync(PodSandbox pod, V1Container container, IReadOnlyList<string> command, CancellationToken deadline)
    {
        var env = Environment(pod, container);
        var (exe, rest) = IdentityOf(pod.Spec, container).Wrap(command[0] == "/opt/om-lifecycle/om-lifecycle" ? omLifecycleBin : command[0], command.Skip(1).ToList());
        var info = new ProcessStartInfo(exe) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in rest) info.ArgumentList.Add(a);
        info.Environment.Clear();
        foreach (var (k, v) in env) info.Environment[k] = v;
        using var process = Process.Start(info)!;
        var log = Path.Combine(pod.Dir, "exec.log");
        _ = Pump(process.StandardOutput, log);
        _ = Pump(process.StandardError, log);
        try { await process.WaitForExitAsync(deadline); }
        catch (OperationCanceledException) { process.Kill(entireProcessTree: true); return -1; }
        return process.ExitCode;
    }

    /// <summary>How long cluster DNS keeps an NXDOMAIN: 30 s (kubeadm's Corefile: kubernetes `ttl 30`, `cache 30`), a Kubernetes timer in twin time.</summary>
    public static TimeSpan DnsNegativeTtl => TwinClock.OfSeconds(30);

    public Dictionary<string, string> Environment(PodSandbox pod, V1Container container)
    {
        var env = new Dictionary<string, string>
        {
            ["PATH"] = $"{simulatorDir}:/usr/local/bin:/usr/bin:/bin",
            ["HOME"] = Path.Combine(pod.Dir, "home"),
            ["HOSTNAME"] = pod.Name,
            ["OZONE_SIM_STATE"] = cluster.SimState,
            // The pod's network interface: a daemon binds its web server here and finds its own SCM node id by it.
            [OzoneSimulator.ScmIdentity.PodIpVariable] = pod.Ip,
            ["OZONE_SIM_TIME_SCALE"] = "0.02",
            [OzoneSimulator.ClusterDnsResolver.NegativeTtlVariable] = DnsNegativeTtl.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["OM_LIFECYCLE_POLL_MS"] = "200",
            // The pod's own identity (its serviceAccountName), so that the API applies the chart's RBAC to it.
            ["OM_LIFECYCLE_KUBECONFIG"] = cluster.KubeconfigFor(pod.Spec.ServiceAccountName),
            ["DOTNET_gcServer"] = "0",
        };
        foreach (var (name, value) in ContainerImage.Environment) env[name] = MapText(pod, value);
        if (ContainerImage.OzoneRelease(container) is { } release) env[OzoneSimulator.OzoneVersion.Variable] = release;
        foreach (var e in container.Env ?? [])
        {
            var value = e.Value ?? e.ValueFrom?.FieldRef?.FieldPath switch
            {
                "metadata.name" => pod.Name,
                "metadata.namespace" => cluster.Namespace,
                "status.podIP" => pod.Ip,
                _ => "",
            };
            env[e.Name] = MapText(pod, value);
        }
        env[OzoneSimulator.Launcher.WritableDirsVariable] = string.Join(';', ContainerImage.WritableDirs(pod, container));
        env[OzoneSimulator.BootstrapSpace.VolumesVariable] = string.Join(';', ClaimCapacities(pod, container));
        return env;
    }

    /// <summary>
    /// The size of each PersistentVolumeClaim the container mounts, as `hostDir=bytes`: its
    /// spec.resources.requests.storage, what a provisioner must at least give (the harsher reading
    /// of a volume's capacity). emptyDirs are on the node's disk, which the twin does not size.
    /// </summary>
    private IEnumerable<string> ClaimCapacities(PodSandbox pod, V1Container container)
    {
        var pvcRoot = cluster.PvcDir("");
        foreach (var mount in container.VolumeMounts ?? [])
        {
            if (!pod.Volumes.TryGetValue(mount.Name, out var host) || !host.StartsWith(pvcRoot, StringComparison.Ordinal)) continue;
            var storage = cluster.Get("v1", "PersistentVolumeClaim", Path.GetFileName(host))?["spec"]?["resources"]?["requests"]?["storage"]?.GetValue<string>();
            if (storage is null) continue;
            yield return $"{host}={(long)new ResourceQuantity(storage).ToDecimal()}";
        }
    }

    /// <summary>
    /// The image's entrypoint before `exec "$@"` (<see cref="Entrypoint"/>): envtoconf writes the
    /// configuration files into ${HADOOP_CONF_DIR:-/opt/hadoop/etc/hadoop} at every start. Returns
    /// null when it passed, or the message the container exits 1 with.
    /// </summary>
    public string? RunEntrypoint(PodSandbox pod, V1Container container, IReadOnlyDictionary<string, string> env) =>
        Entrypoint.Run(env, ContainerImage.WritableDirs(pod, container), path => MapText(pod, path));

    /// <summary>
    /// Maps in-container absolute paths to the host directories behind the pod's volume mounts, in
    /// one pass (longest mount first), so that a mapped host path is never mapped again.
    /// </summary>
    public string MapText(PodSandbox pod, string text)
    {
        var mounts = pod.Spec.Containers.Concat(pod.Spec.InitContainers ?? [])
            .SelectMany(c => c.VolumeMounts ?? []).Where(m => m.SubPath is null && pod.Volumes.ContainsKey(m.Name))
            .DistinctBy(m => m.MountPath).OrderByDescending(m => m.MountPath.Length).ToList();
        if (mounts.Count == 0) return text;
        var pattern = "(?<![\\w/.-])(" + string.Join("|", mounts.Select(m => System.Text.RegularExpressions.Regex.Escape(m.MountPath))) + ")(?=/|\\b|$)";
        var hosts = mounts.ToDictionary(m => m.MountPath, m => pod.Volumes[m.Name]);
        return System.Text.RegularExpressions.Regex.Replace(text, pattern, match => hosts[match.Groups[1].Value]);
    }

    private static void WriteIfChanged(string path, string content)
    {
        if (File.Exists(path) && File.ReadAllText(path) == content) return;
        var temp = path + ".tmp";
        File.WriteAllText(temp, content);
        File.Move(temp, path, overwrite: true);
    }

    private static async Task Pump(StreamReader reader, string path)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            lock (typeof(PodRuntime)) File.AppendAllText(path, line + "\n");
        }
    }
}
