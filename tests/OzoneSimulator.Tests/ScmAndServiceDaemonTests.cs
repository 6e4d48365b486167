using System.Diagnostics;
using System.Net.Http;

namespace OzoneSimulator.Tests;

/// <summary>
/// `ozone scm`, `ozone datanode`, `ozone s3g` and `ozone recon` as Ozone 2.0–2.2 run them
/// (StorageContainerManagerStarter, HddsDatanodeService, Gateway, ReconServer) on ozone-default.xml's ports; the cluster twin runs the chart's commands against them.
/// </summary>
public sealed class ScmAndServiceDaemonTests : IDisposable
{
    private readonly SimCluster cluster = new();
    private readonly List<Process> daemons = [];

    public void Dispose()
    {
        foreach (var p in daemons) { try { p.Kill(); p.WaitForExit(); } catch (InvalidOperationException) { } }
        cluster.Dispose();
    }

    private string Ip(int scm) => $"127.{cluster.Net}.{scm}.2";

    private string Fqdn(int scm) => $"scm{scm}.scm-headless";

    private string Conf(int i) => Path.Combine(cluster.Root, $"scm{i}", "conf");

    private string Meta(int i) => Path.Combine(cluster.Root, $"scm{i}", "data");

    /// <summary>An SCM HA service "svc" of <paramref name="n"/> SCMs, scm0 primordial; DNS names in hosts.json as the twin writes them.</summary>
    private void Configure(int i, int n)
    {
        File.WriteAllText(Path.Combine(cluster.StateDir, "hosts.json"), "{" + string.Join(",", Enumerable.Range(0, n).Select(s => $"\"{Fqdn(s)}\":\"{Ip(s)}\"")) + "}");
        Directory.CreateDirectory(Conf(i));
        var props = new List<(string, string)>
        {
            ("ozone.scm.service.ids", "svc"),
            ("ozone.scm.nodes.svc", string.Join(",", Enumerable.Range(0, n).Select(s => $"scm{s}"))),
            ("ozone.scm.primordial.node.id", "scm0"),
            ("ozone.metadata.dirs", Meta(i)),
            ("ozone.scm.datanode.id.dir", Meta(i)),
        };
        props.AddRange(Enumerable.Range(0, n).Select(s => ($"ozone.scm.address.svc.scm{s}", Fqdn(s))));
        File.WriteAllText(Path.Combine(Conf(i), "ozone-site.xml"),
            "<configuration>" + string.Concat(props.Select(p => $"<property><name>{p.Item1}</name><value>{p.Item2}</value></property>")) + "</configuration>");
    }

    private ProcessStartInfo Info(int i, string ip, string[] args, string? hostname = null)
    {
        var info = cluster.Info(0, args);
        info.Environment["OZONE_CONF_DIR"] = Conf(i);
        info.Environment["OZONE_SIM_POD_IP"] = ip;
        info.Environment["HOSTNAME"] = hostname ?? $"pod{i}";
        return info;
    }

    private Task<(int Code, string Err)> RunAsync(int i, params string[] args) => RunAsAsync(i, null, args);

    private async Task<(int Code, string Err)> RunAsAsync(int i, string? hostname, params string[] args)
    {
        using var p = Process.Start(Info(i, Ip(i), args, hostname))!;
        _ = p.StandardOutput.ReadToEndAsync();
        var err = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        return (p.ExitCode, await err);
    }

    private Process Start(int i, string ip, params string[] args)
    {
        var p = Process.Start(Info(i, ip, args))!;
        _ = p.StandardOutput.ReadToEndAsync();
        _ = p.StandardError.ReadToEndAsync();
        daemons.Add(p);
        return p;
    }

    private static async Task<int?> StatusAsync(string ip, int port, string path = "/jmx?qry=java.lang:type=Runtime")
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        try { return (int)(await http.GetAsync($"http://{ip}:{port}{path}")).StatusCode; }
        catch (HttpRequestException) { return null; }
    }

    private static async Task UntilAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (await condition()) return;
            await Task.Delay(50);
        }
        throw new TimeoutException(what);
    }

    // B1: `--init` on a node that is not ozone.scm.primordial.node.id is a no-op with exit 0.
    [Fact]
    public async Task Init_on_a_non_primordial_scm_does_nothing()
    {
        Configure(1, 3);
        (await RunAsync(1, "scm", "--init")).Code.Should().Be(0);
        File.Exists(ScmVersion.PathIn(Meta(1))).Should().BeFalse();
    }

    // SCMHANodeDetails.loadSCMHAConfig: without ozone.scm.node.id an SCM finds itself among the
    // configured addresses; with flexible FQDN resolution by its host name (OzoneNetUtils
    // isAddressLocal(true, addr)), so a pod whose own name does not resolve yet still knows who it
    // is; without it only an address that resolves to this host counts.
    [Fact]
    public async Task An_scm_whose_own_name_does_not_resolve_finds_itself_by_host_name_only_with_flexible_fqdn_resolution()
    {
        Configure(1, 3);
        File.WriteAllText(Path.Combine(cluster.StateDir, "hosts.json"), "{}");

        var (code, err) = await RunAsAsync(1, "scm1", "scm", "--init");
        code.Should().Be(255, "nothing resolves and flexible resolution is off");
        err.Should().Contain("None of the addresses of ozone.scm.nodes.svc");

        var site = Path.Combine(Conf(1), "ozone-site.xml");
        File.WriteAllText(site, File.ReadAllText(site).Replace("</configuration>", "<property><name>ozone.network.flexible.fqdn.resolution.enabled</name><value>true</value></property></configuration>"));
        (await RunAsAsync(1, "scm1", "scm", "--init")).Code.Should().Be(0, "scm1 is this host by name: a non-primordial --init is a no-op");
        (await RunAsAsync(1, "pod1", "scm", "--init")).Code.Should().Be(255, "a host name that matches no address is no SCM of the list");
    }

    // B1: bootstrap asks the other SCMs for up to ozone.scm.info.wait.duration, then IOException("scm bootstrap failed") → 255.
    [Fact]
    public async Task Bootstrap_before_the_primordial_scm_serves_fails_with_255()
    {
        Configure(1, 3);
        var (code, err) = await RunAsync(1, "scm", "--bootstrap");
        code.Should().Be(255);
        err.Should().Contain("scm bootstrap failed");
        File.Exists(ScmVersion.PathIn(Meta(1))).Should().BeFalse();
    }

    // StorageContainerManager's constructor refuses storage that is not INITIALIZED (StorageContainerManager.java, 2.1.0): a plain start on an empty volume exits non-zero.
    [Fact]
    public async Task Start_without_init_fails()
    {
        Configure(0, 1);
        (await RunAsync(0, "scm")).Code.Should().NotBe(0);
    }

    // B1: init forms a one-peer ring; bootstrap copies the cluster id from a serving SCM; the first start joins through the leader.
    [Fact]
    public async Task Primordial_init_then_bootstrap_and_start_form_one_ring_and_serve_jmx_on_9876()
    {
        Configure(0, 2);
        Configure(1, 2);
        (await RunAsync(0, "scm", "--init")).Code.Should().Be(0);
        Start(0, Ip(0), "scm");
        await UntilAsync(async () => await StatusAsync(Ip(0), 9876) == 200, "scm0 serves /jmx");

        (await RunAsync(1, "scm", "--bootstrap")).Code.Should().Be(0);
        ScmVersion.Read(Meta(1))!.ClusterId.Should().Be(ScmVersion.Read(Meta(0))!.ClusterId);
        Start(1, Ip(1), "scm");
        await UntilAsync(async () => await StatusAsync(Ip(1), 9876) == 200, "scm1 serves /jmx");

        var ring = ScmStateFile.Read(cluster.State).Rings.Single().Value.Select(p => p.NodeId);
        ring.Should().Equal("scm0", "scm1");
    }

    // OzoneManager#omInit and the OzoneManager constructor (2.0–2.2, master) ask SCM for its cluster id through
    // the SCM client's retry policy: `--init` waits for SCM and writes SCM's id; a start whose VERSION holds
    // another cluster's id fails, "SCM version info mismatch." (exit 255), after logVersionMismatch named both.
    [Fact]
    public async Task An_om_takes_its_cluster_id_from_scm_and_never_starts_on_another_clusters_volume()
    {
        Configure(0, 1);
        cluster.Configure(0, [0]);
        var omSite = Path.Combine(cluster.ConfDir(0), "ozone-site.xml");
        File.WriteAllText(omSite, File.ReadAllText(omSite).Replace("</configuration>", $"<property><name>ozone.scm.names</name><value>{Fqdn(0)}</value></property></configuration>"));
        using var omInit = Process.Start(cluster.Info(0, "om", "--init"))!;
        _ = omInit.StandardOutput.ReadToEndAsync();
        _ = omInit.StandardError.ReadToEndAsync();

        (await RunAsync(0, "scm", "--init")).Code.Should().Be(0);
        var scm = Start(0, Ip(0), "scm");
        await omInit.WaitForExitAsync();

        omInit.ExitCode.Should().Be(0);
        var firstCluster = ScmVersion.Read(Meta(0))!.ClusterId;
        OmData.ReadVersion(cluster.Metadata(0))!["clusterID"].Should().Be(firstCluster, "--init waited for SCM, which was not even initialised when it began");
        var om = cluster.Start(0);
        await cluster.UntilAsync(r => r.Running.ContainsKey("om0"), "om0 runs against its own cluster's SCM");
        om.Kill();
        await om.WaitForExitAsync();

        // SCM's volume is replaced: a new cluster id, while the OM keeps its volume.
        scm.Kill();
        await scm.WaitForExitAsync();
        Directory.Delete(Meta(0), recursive: true);
        (await RunAsync(0, "scm", "--init")).Code.Should().Be(0);
        Start(0, Ip(0), "scm");
        var secondCluster = ScmVersion.Read(Meta(0))!.ClusterId;
        var (code, _, err) = await cluster.RunAsync(0, "om");

        secondCluster.Should().NotBe(firstCluster);
        code.Should().Be(255);
        err.Should().Contain($"clusterId from {Fqdn(0)}:9863 is {secondCluster}, but is {firstCluster} in {OmData.VersionPath(cluster.Metadata(0))}");
        err.Should().EndWith("SCM version info mismatch." + Environment.NewLine);
        cluster.State.Read().Running.Should().NotContainKey("om0");
    }

    // A3/B4: a datanode serves its web server (9882) at once and keeps retrying SCM; it registers once an SCM serves.
    [Fact]
    public async Task Datanode_serves_without_scm_and_registers_once_scm_serves()
    {
        Configure(0, 1);
        var dnIp = $"127.{cluster.Net}.0.3";
        Start(0, dnIp, "datanode");
        await UntilAsync(async () => await StatusAsync(dnIp, 9882) == 200, "datanode serves /jmx");
        ScmStateFile.Read(cluster.State).Datanodes.Should().BeEmpty();

        (await RunAsync(0, "scm", "--init")).Code.Should().Be(0);
        Start(0, Ip(0), "scm");
        await UntilAsync(() => Task.FromResult(ScmStateFile.Read(cluster.State).Datanodes.Count == 1), "datanode registered");
    }

    // ozone-default.xml: S3G's /jmx is on the web admin port 19878, Recon's web server on 9888.
    [Fact]
    public async Task S3g_and_recon_serve_jmx_on_their_default_web_ports()
    {
        Configure(0, 1);
        var s3g = $"127.{cluster.Net}.0.4";
        var recon = $"127.{cluster.Net}.0.5";
        Start(0, s3g, "s3g");
        Start(0, recon, "recon");
        await UntilAsync(async () => await StatusAsync(s3g, 19878) == 200 && await StatusAsync(recon, 9888) == 200, "s3g and recon serve /jmx");
        (await StatusAsync(s3g, 9878)).Should().NotBe(200);
    }

    // Nothing the real launcher lacks passes: a typo in a chart command fails loudly (usage error, exit 2).
    [Theory]
    [InlineData("scmx")]
    [InlineData("datanode", "--foo")]
    [InlineData("scm", "--bootstrapp")]
    public async Task Unknown_commands_and_options_exit_2(params string[] args)
    {
        Configure(0, 1);
        (await RunAsync(0, args)).Code.Should().Be(2);
    }
}
