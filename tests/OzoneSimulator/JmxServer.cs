using System.Net;
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
    private readonly HttpListener listener = new();

    public void Start()
    {
        listener.Prefixes.Add($"http://{host}:{port}/");
        listener.Start();
        _ = Task.Run(ServeAsync);
    }

    public void Dispose() => listener.Close();

    private async Task ServeAsync()
    {
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try { context = await listener.GetContextAsync(); }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException) { return; }
            try
            {
                var body = state.Faults().GarbageJmx.Contains(nodeId) ? "<html>Error 500 garbage</html>" : Beans(state.Read());
                var bytes = Encoding.UTF8.GetBytes(body);
                context.Response.ContentType = "application/json";
                await context.Response.OutputStream.WriteAsync(bytes);
                context.Response.Close();
            }
            catch (Exception e) when (e is HttpListenerException or IOException or ObjectDisposedException)
            {
            }
        }
    }

    public string Beans(Ring ring) => Beans(ring, nodeId, ratisPort);

    public static string Beans(Ring ring, string nodeId, int ratisPort)
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
        return JsonSerializer.Serialize(new { beans });
    }
}
