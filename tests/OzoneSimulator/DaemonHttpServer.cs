using System.Net.Sockets;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace OzoneSimulator;

/// <summary>
/// The web server every Ozone daemon runs (Hadoop's HttpServer2): /jmx answers with the beans
/// whose name matches `qry` (Hadoop's JMXJsonServlet), any other path 404. It binds the pod's
/// own address, as 0.0.0.0 inside a pod does, so a kubelet httpGet probe on podIP:port reaches it.
/// </summary>
public sealed class DaemonHttpServer(string ip, int port, Func<IEnumerable<JsonObject>> beans) : IDisposable
{
    private readonly LoopbackHttpServer server = new(ip, port, target =>
        target.Split('?')[0] == "/jmx" ? new HttpAnswer("200 OK", Jmx(target, beans)) : new HttpAnswer("404 Not Found", ""));

    /// <summary>Binds the port; a port already taken fails the daemon, as a JVM's BindException does.</summary>
    public void Start()
    {
        try { server.Start(); }
        catch (SocketException e) { throw new SimExit(1, $"java.net.BindException: Port in use: {ip}:{port} ({e.Message})"); }
    }

    public void Dispose() => server.Dispose();

    /// <summary>The JVM's Runtime bean, which every daemon has; the chart's HTTP probes ask for it.</summary>
    public static JsonObject RuntimeBean(string processName) => new()
    {
        ["name"] = "java.lang:type=Runtime",
        ["modelerType"] = "sun.management.RuntimeImpl",
        ["Name"] = $"{Environment.ProcessId}@{processName}",
        ["Uptime"] = Environment.TickCount64,
    };

    private static string Jmx(string target, Func<IEnumerable<JsonObject>> beans)
    {
        var query = Uri.UnescapeDataString(target.Contains("qry=", StringComparison.Ordinal) ? target[(target.IndexOf("qry=", StringComparison.Ordinal) + 4)..] : "*");
        var pattern = "^" + Regex.Escape(query).Replace("\\*", ".*") + "$";
        var matching = new JsonArray(beans().Where(b => Regex.IsMatch((string)b["name"]!, pattern)).ToArray<JsonNode?>());
        return HadoopJson.Write(new JsonObject { ["beans"] = matching });
    }
}
