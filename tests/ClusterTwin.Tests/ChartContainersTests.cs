using System.Diagnostics;
using k8s.Models;

namespace ClusterTwin.Tests;

/// <summary>
/// The chart's Ozone containers as the twin runs them: the image's environment, the pod's mounts
/// and read-only root filesystem, and the `ozone` launcher's checks before a daemon starts.
/// </summary>
public sealed class ChartContainersTests : IDisposable
{
    private readonly string work = TwinWorkDir.Create("twin-chart");

    public void Dispose() => Directory.Delete(work, recursive: true);

    private static string RepoRoot
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "OzoneChart.slnx"))) dir = dir.Parent;
            return dir?.FullName ?? throw new InvalidOperationException("repository root not found");
        }
    }

    // apache/ozone-docker-runner Dockerfile (ENV OZONE_LOG_DIR=/var/log/hadoop, no HADOOP_CONF_DIR),
    // hadoop-ozone/dist/src/main/dockerlibexec/entrypoint.sh and envtoconf.py (envtoconf into
    // ${HADOOP_CONF_DIR:-/opt/hadoop/etc/hadoop} under set -e) and
    // hadoop-ozone/dist/src/shell/ozone/ozone-functions.sh (ozone_verify_piddir, ozone_verify_logdir)
    [Fact]
    public async Task Every_Ozone_daemon_container_of_the_chart_passes_the_entrypoints_envtoconf_and_the_launchers_log_and_pid_dir_checks()
    {
        using var cluster = new Cluster(work, "default");
        var helm = new HelmRelease(Path.Combine(RepoRoot, ".tools", "bin", "helm4"), Path.Combine(RepoRoot, "charts", "ozone"), "ozone", "default", cluster.Kubeconfig, work);
        var (ok, manifest, error) = await helm.RenderAsync(
            "om: {replicas: 3, persistence: {enabled: true}}\nscm: {replicas: 3, persistence: {enabled: true}}\ndatanode: {persistence: {enabled: true}}\nrecon: {enabled: true}\n", [], lookup: false);
        ok.Should().BeTrue(error);
        var runtime = new PodRuntime(cluster, "/bin/false", AppContext.BaseDirectory);
        var statefulSets = HelmRelease.Split(manifest).Resources.OfType<V1StatefulSet>().ToList();
        statefulSets.Select(s => s.Metadata.Name).Should().BeEquivalentTo("ozone-om", "ozone-scm", "ozone-datanode", "ozone-s3g", "ozone-recon");

        var checkedContainers = new List<string>();
        foreach (var sts in statefulSets)
        {
            var podName = $"{sts.Metadata.Name}-0";
            var claims = (sts.Spec.VolumeClaimTemplates ?? []).ToDictionary(t => t.Metadata.Name, t => $"{t.Metadata.Name}-{podName}");
            var pod = runtime.Prepare(podName, "127.0.0.1", sts.Spec.Template.Spec, claims);
            foreach (var container in (sts.Spec.Template.Spec.InitContainers ?? []).Concat(sts.Spec.Template.Spec.Containers))
            {
                var args = (container.Command ?? []).Concat(container.Args ?? []).ToList();
                var at = args.IndexOf("ozone");
                if (at < 0 || at + 1 >= args.Count) continue;
                // The OM's first daemon run is om-lifecycle's `ozone om --init`.
                string[] daemon = args[at + 1] == "om" ? ["om", "--init"] : [args[at + 1]];

                ContainerImage.RunsOzoneEntrypoint(container).Should().BeTrue($"{podName}/{container.Name} runs the image's entrypoint");
                var env = runtime.Environment(pod, container);
                runtime.RunEntrypoint(pod, container, env).Should().BeNull($"{podName}/{container.Name}: the entrypoint's envtoconf must write its files");
                // What Ozone reads is what envtoconf wrote: the same directory.
                var site = Path.Combine(env["OZONE_CONF_DIR"], "ozone-site.xml");
                File.Exists(site).Should().BeTrue($"{podName}/{container.Name}: envtoconf wrote {site}");
                File.ReadAllText(site).Should().Contain("<name>ozone.metadata.dirs</name>");

                var (code, stderr) = await RunAsync(runtime, pod, container, daemon);

                stderr.Should().NotContain("Unable to", $"{podName}/{container.Name} must be able to start `ozone {string.Join(' ', daemon)}`");
                code.Should().Be(0, $"{podName}/{container.Name}: {stderr}");
                checkedContainers.Add($"{sts.Metadata.Name}/{container.Name}");
            }
        }
        checkedContainers.Should().BeEquivalentTo("ozone-om/om", "ozone-scm/scm", "ozone-datanode/datanode", "ozone-s3g/s3g", "ozone-recon/recon");
    }

    // envtoconf.py writes `<name>.<ext>.raw` first; on a read-only directory Python's OSError ends the entrypoint (set -e).
    [Fact]
    public void The_entrypoint_fails_when_its_destination_is_on_the_read_only_root_filesystem_and_writes_unescaped_xml_otherwise()
    {
        using var cluster = new Cluster(work, "default");
        var runtime = new PodRuntime(cluster, "/bin/false", AppContext.BaseDirectory);
        var container = new V1Container
        {
            Name = "om", Image = "apache/ozone:2.1.0", Args = ["ozone", "om"],
            SecurityContext = new V1SecurityContext { ReadOnlyRootFilesystem = true },
            VolumeMounts = [new V1VolumeMount { Name = "conf", MountPath = "/etc/hadoop" }],
            Env = [new V1EnvVar { Name = "OZONE-SITE.XML_ozone.om.address", Value = "om:9862" }, new V1EnvVar { Name = "OZONE-SITE.XML_ozone.x", Value = "a&b" }],
        };
        var pod = runtime.Prepare("p-0", "127.0.0.1", new V1PodSpec { Containers = [container], Volumes = [new V1Volume { Name = "conf", EmptyDir = new V1EmptyDirVolumeSource() }] });

        runtime.RunEntrypoint(pod, container, runtime.Environment(pod, container))
            .Should().Be("OSError: [Errno 30] Read-only file system: '/opt/hadoop/etc/hadoop/ozone-site.xml.raw'");

        container.Env.Add(new V1EnvVar { Name = "HADOOP_CONF_DIR", Value = "/etc/hadoop" });
        var env = runtime.Environment(pod, container);
        runtime.RunEntrypoint(pod, container, env).Should().BeNull();
        File.ReadAllText(Path.Combine(env["HADOOP_CONF_DIR"], "ozone-site.xml")).Should()
            .Contain("<property><name>ozone.om.address</name><value>om:9862</value></property>").And.Contain("<value>a&b</value>");
        File.Exists(Path.Combine(env["HADOOP_CONF_DIR"], "ozone-site.xml.raw")).Should().BeTrue();
    }

    private static async Task<(int Code, string Stderr)> RunAsync(PodRuntime runtime, PodRuntime.PodSandbox pod, V1Container container, string[] args)
    {
        var info = new ProcessStartInfo(Path.Combine(runtime.SimulatorDir, "ozone")) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) info.ArgumentList.Add(a);
        info.Environment.Clear();
        foreach (var (k, v) in runtime.Environment(pod, container)) info.Environment[k] = v;
        // The daemons run until stopped; this test asks only whether the launcher lets them start.
        info.Environment["OZONE_SIM_LAUNCHER_ONLY"] = "1";
        using var p = Process.Start(info)!;
        var o = p.StandardOutput.ReadToEndAsync();
        var e = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        await o;
        return (p.ExitCode, await e);
    }
}
