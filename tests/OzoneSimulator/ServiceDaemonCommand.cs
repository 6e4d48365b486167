using System.Runtime.InteropServices;
using System.Text.Json.Nodes;

namespace OzoneSimulator;

/// <summary>
/// `ozone datanode`, `ozone s3g` and `ozone recon`: each takes no options (an unknown one is a
/// usage error, exit 2), starts its web server on its configured address and serves until SIGTERM
/// (exit 143). Default web ports: hdds.datanode.http-address 0.0.0.0:9882 and
/// ozone.recon.http-address 0.0.0.0:9888 (ozone-default.xml); for S3G the web admin server,
/// ozone.s3g.webadmin.http-address, which serves /jmx, on 19878 (S3GatewayConfigKeys
/// OZONE_S3G_WEBADMIN_HTTP_BIND_PORT_DEFAULT and Ozone's port table; unsure: one generated config
/// table says 9880), while ozone.s3g.http-address (9878) serves only the S3 API [inferred, harsher:
/// /jmx there is not the servlet].
/// </summary>
public sealed class ServiceDaemonCommand(SimState state, SimConfig config, string daemon)
{
    /// <summary>`hdds.heartbeat.interval` = 30s (facts-dn-scm A3): how often a datanode reports to SCM.</summary>
    private const double HeartbeatSeconds = 30;

    public static readonly string[] Names = ["datanode", "s3g", "recon"];

    public async Task<int> RunAsync(string[] args)
    {
        if (args.Length > 0) throw new SimExit(2, $"Unknown option: '{args[0]}'\nUsage: ozone {daemon}");
        var ip = Environment.GetEnvironmentVariable(ScmIdentity.PodIpVariable) ?? "127.0.0.1";
        var port = daemon switch
        {
            "datanode" => ScmIdentity.Port(config.Get("hdds.datanode.http-address"), 9882),
            "recon" => ScmIdentity.Port(config.Get("ozone.recon.http-address"), 9888),
            _ => ScmIdentity.Port(config.Get("ozone.s3g.webadmin.http-address"), 19878),
        };
        var datanode = daemon == "datanode" ? Datanode.Load(config) : null;
        using var server = new DaemonHttpServer(ip, port, () => [DaemonHttpServer.RuntimeBean(daemon)]);
        server.Start();
        using var stop = new CancellationTokenSource();
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Cancel(); });
        try
        {
            while (true)
            {
                // A datanode without a reachable SCM keeps retrying and keeps serving (facts-dn-scm B4: it reports to all listed SCMs).
                datanode?.Heartbeat(state, config);
                await SimState.Sleep(HeartbeatSeconds, stop.Token);
            }
        }
        catch (OperationCanceledException) { return 143; }
    }
}

/// <summary>A datanode's identity: `datanode.id` in ozone.scm.datanode.id.dir, else the metadata dir; a random UUID when missing (facts-dn-scm A3).</summary>
public sealed record Datanode(string Uuid)
{
    public static Datanode Load(SimConfig config)
    {
        var dir = config.Get("ozone.scm.datanode.id.dir") ?? config.Get("ozone.metadata.dirs") ?? throw new SimExit(1, "ozone.metadata.dirs is not set: the datanode has no place for datanode.id.");
        var file = Path.Combine(dir, "datanode.id");
        if (File.Exists(file) && File.ReadAllLines(file).FirstOrDefault(l => l.StartsWith("uuid: ", StringComparison.Ordinal)) is { } line) return new Datanode(line["uuid: ".Length..]);
        var uuid = Guid.NewGuid().ToString();
        Directory.CreateDirectory(dir);
        File.WriteAllText(file, $"uuid: {uuid}\nhostName: {Environment.GetEnvironmentVariable("HOSTNAME")}\npersistedOpState: IN_SERVICE\n");
        return new Datanode(uuid);
    }

    /// <summary>Registers with every serving SCM the config lists; one that is not serving is tried again at the next heartbeat.</summary>
    public void Heartbeat(SimState state, SimConfig config)
    {
        var ips = ScmAddresses.Hosts(config).Select(state.Resolve).OfType<string>().ToHashSet();
        ScmStateFile.Update(state, c =>
        {
            if (c.Running.Values.FirstOrDefault(r => ips.Contains(r.Ip)) is { } scm)
                c.Datanodes[Uuid] = new RegisteredDatanode { Uuid = Uuid, Pod = Environment.GetEnvironmentVariable("HOSTNAME") ?? "", ClusterId = scm.ClusterId };
            return 0;
        });
    }
}
