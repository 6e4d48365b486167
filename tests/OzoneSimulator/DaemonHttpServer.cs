using System.Net;
using System.Net.Sockets;
using System.Text;
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
    private readonly TcpListener listener = new(IPAddress.Parse(ip), port);

    /// <summary>Binds the port; a port already taken fails the daemon, as a JVM's BindException does.</summary>
    public void Start()
    {
        try { listener.Start(); }
        catch (SocketException e) { throw new SimExit(1, $"java.net.BindException: Port in use: {ip}:{port} ({e.Message})"); }
        _ = Task.Run(ServeAsync);
    }

    public void Dispose() => listener.Stop();

    /// <summary>The JVM's Runtime bean, which every daemon has; the chart's HTTP probes ask for it.</summary>
    public static JsonObject RuntimeBean(string processName) => new()
    {
        ["name"] = "java.lang:type=Runtime",
        ["modelerType"] = "sun.management.RuntimeImpl",
        ["Name"] = $"{Environment.ProcessId}@{processName}",
        ["Uptime"] = Environment.TickCount64,
    };

    private async Task ServeAsync()
    {
        while (true)
        {
            TcpClient client;
            try { client = await listener.AcceptTcpClientAsync(); }
            catch (Exception e) when (e is SocketException or ObjectDisposedException or InvalidOperationException) { return; }
            _ = Task.Run(() => AnswerAsync(client));
        }
    }

    private async Task AnswerAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                if (await HttpRequestTarget.ReadAsync(stream) is not { } target) return;
                var path = target.Split('?')[0];
                var (status, body) = path == "/jmx" ? ("200 OK", Jmx(target)) : ("404 Not Found", "");
                var bytes = Encoding.UTF8.GetBytes(body);
                await stream.WriteAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 {status}\r\nContent-Type: application/json; charset=utf8\r\nContent-Length: {bytes.Length}\r\nConnection: close\r\n\r\n"));
                await stream.WriteAsync(bytes);
            }
            catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or IndexOutOfRangeException)
            {
            }
        }
    }

    private string Jmx(string target)
    {
        var query = Uri.UnescapeDataString(target.Contains("qry=", StringComparison.Ordinal) ? target[(target.IndexOf("qry=", StringComparison.Ordinal) + 4)..] : "*");
        var pattern = "^" + Regex.Escape(query).Replace("\\*", ".*") + "$";
        var matching = new JsonArray(beans().Where(b => Regex.IsMatch((string)b["name"]!, pattern)).ToArray<JsonNode?>());
        return HadoopJson.Write(new JsonObject { ["beans"] = matching });
    }
}
