using System.Diagnostics;
using System.Net.Sockets;
using System.Text.Json;
using OmLifecycle.Logging;

namespace OmLifecycle.Ozone;

/// <summary>Reads `Ratis:service=RaftServer,group=*,id=*` from an OM's /jmx servlet over HTTP.</summary>
public sealed class RatisJmxClient(HttpClient http, JsonLog log) : IRatisJmx
{
    public const string RaftServerQuery = "Ratis:service=RaftServer,group=*,id=*";

    public async Task<NodeProbe> ProbeAsync(string nodeId, string host, int httpPort, CancellationToken cancellationToken)
    {
        var url = $"http://{host}:{httpPort}/jmx?qry={RaftServerQuery}";
        var watch = Stopwatch.StartNew();
        NodeProbe probe;
        try
        {
            using var response = await http.GetAsync(url, cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            probe = response.IsSuccessStatusCode
                ? Parse(nodeId, body)
                : new NodeProbe(nodeId, null, $"HTTP {(int)response.StatusCode} from {url}");
        }
        catch (Exception e) when (e is HttpRequestException or SocketException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            probe = new NodeProbe(nodeId, null, $"unreachable at {host}:{httpPort} ({e.GetBaseException().Message})");
        }
        log.Call($"GET {url}", $"Ratis state of {nodeId}", probe.State is { } s ? $"role {s.Role}, leader {s.LeaderId ?? "none"}" : probe.Problem!, watch.Elapsed);
        return probe;
    }

    /// <summary>Parses Hadoop's JMX JSON; anything that is not a Raft server bean is a problem, not a state.</summary>
    public static NodeProbe Parse(string nodeId, string body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            if (!doc.RootElement.TryGetProperty("beans", out var beans) || beans.ValueKind != JsonValueKind.Array)
                return new NodeProbe(nodeId, null, "the JMX answer has no 'beans' list");
            foreach (var bean in beans.EnumerateArray())
            {
                if (bean.ValueKind != JsonValueKind.Object || !bean.TryGetProperty("Role", out var role) || role.ValueKind != JsonValueKind.String) continue;
                var id = Text(bean, "Id");
                var group = Text(bean, "GroupId");
                if (string.IsNullOrEmpty(id) || string.IsNullOrEmpty(group)) continue;
                var leader = Text(bean, "LeaderId");
                var term = bean.TryGetProperty("CurrentTerm", out var t) && t.ValueKind == JsonValueKind.Number ? t.GetInt64() : 0;
                var followers = new List<string>();
                if (bean.TryGetProperty("Followers", out var f) && f.ValueKind == JsonValueKind.Array)
                {
                    foreach (var item in f.EnumerateArray())
                    {
                        if (item.ValueKind == JsonValueKind.String && PeerId(item.GetString()!) is { } peer) followers.Add(peer);
                    }
                }
                return new NodeProbe(nodeId, new RaftServerState(id, string.IsNullOrEmpty(leader) ? null : leader, term, group, role.GetString()!, followers), null);
            }
            return new NodeProbe(nodeId, null, "the JMX answer holds no Ratis server bean (is the OM still starting?)");
        }
        catch (JsonException e)
        {
            return new NodeProbe(nodeId, null, $"the JMX answer is not JSON ({e.Message})");
        }
    }

    /// <summary>The node id at the start of a Ratis peer string such as "om2|rpc:host:9872" or "om2:host:9872".</summary>
    public static string? PeerId(string peer)
    {
        var end = 0;
        while (end < peer.Length && (char.IsAsciiLetterLower(peer[end]) || char.IsAsciiDigit(peer[end]) || peer[end] == '-')) end++;
        var id = peer[..end].TrimEnd('-');
        return id.Length == 0 ? null : id;
    }

    private static string? Text(JsonElement bean, string name) =>
        bean.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
