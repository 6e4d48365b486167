using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace OzoneSimulator;

/// <summary>
/// The OM's HTTP server: /jmx with Hadoop's JSON shape ({"beans":[…]}) for the Ratis server bean
/// (attributes of Ratis' RaftServerMXBean: Id, LeaderId, CurrentTerm, GroupId, Role, Followers)
/// and OzoneManager's OMHAMetrics bean.
/// </summary>
public sealed class JmxServer(SimState state, string nodeId, string host, int port, int ratisPort) : IDisposable
{
    // A plain socket server bound to this node's own address: HttpListener matches on the Host
    // header, and clients ask by the node's DNS name, not its IP.
    private readonly TcpListener listener = new(IPAddress.Parse(host), port);

    public void Start()
    {
        listener.Start();
        _ = Task.Run(ServeAsync);
    }

    public void Dispose() => listener.Stop();

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
                var request = new StringBuilder();
                var buffer = new byte[4096];
                while (!request.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
                {
                    var read = await stream.ReadAsync(buffer);
                    if (read == 0) return;
                    request.Append(Encoding.ASCII.GetString(buffer, 0, read));
                }
                var target = request.ToString().Split(' ')[1];
                var query = Uri.UnescapeDataString(target.Contains("qry=", StringComparison.Ordinal) ? target[(target.IndexOf("qry=", StringComparison.Ordinal) + 4)..] : "");
                var body = state.Faults().GarbageJmx.Contains(nodeId) ? "<html>Error 500 garbage</html>" : Beans(state.Read(), nodeId, ratisPort, query);
                var bytes = Encoding.UTF8.GetBytes(body);
                var head = Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {bytes.Length}\r\nConnection: close\r\n\r\n");
                await stream.WriteAsync(head);
                await stream.WriteAsync(bytes);
            }
            catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or IndexOutOfRangeException)
            {
            }
        }
    }

    /// <summary>The beans whose name matches the JMX query (a '*' matches anything), as Hadoop's JMXJsonServlet answers.</summary>
    public static string Beans(Ring ring, string nodeId, int ratisPort, string query = "")
    {
        var isVoter = ring.Voters.Contains(nodeId);
        var leader = isVoter ? ring.Leader : null;
        var role = leader == nodeId ? "LEADER" : leader is not null ? "FOLLOWER" : "CANDIDATE";
        var followers = leader == nodeId
            ? ring.Voters.Where(v => v != nodeId).Select(v => $"{v}|{ring.Running.GetValueOrDefault(v)?.Host ?? v}:{ratisPort}").ToList()
            : [];
        var group = isVoter ? ring.GroupId : "group-" + nodeId;
        var beans = new object[]
        {
            new Dictionary<string, object?>
            {
                ["name"] = $"Ratis:service=RaftServer,group={group},id={nodeId}",
                ["modelerType"] = "org.apache.ratis.server.impl.RaftServerJmxAdapter",
                ["Id"] = nodeId,
                ["LeaderId"] = leader ?? "",
                ["CurrentTerm"] = ring.Term,
                ["GroupId"] = group,
                ["Role"] = role,
                ["Followers"] = followers,
            },
            new Dictionary<string, object?>
            {
                ["name"] = "Hadoop:service=OzoneManager,name=OMHAMetrics",
                ["tag.NodeId"] = nodeId,
                ["OzoneManagerHALeaderState"] = role == "LEADER" ? 1 : 0,
            },
        };
        var pattern = "^" + System.Text.RegularExpressions.Regex.Escape(query.Length == 0 ? "*" : query).Replace("\\*", ".*") + "$";
        var matching = beans.Where(b => System.Text.RegularExpressions.Regex.IsMatch((string)((Dictionary<string, object?>)b)["name"]!, pattern)).ToArray();
        return JsonSerializer.Serialize(new { beans = matching });
    }
}
