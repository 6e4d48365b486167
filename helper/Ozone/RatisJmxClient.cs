using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using OmLifecycle.Logging;
using OmLifecycle.Membership;

namespace OmLifecycle.Ozone;

/// <summary>Reads `Ratis:service=RaftServer,group=*,id=*` from an OM's /jmx servlet over HTTP.</summary>
public sealed class RatisJmxClient(HttpClient http, JsonLog log) : IRatisJmx
{
    public const string RaftServerQuery = "Ratis:service=RaftServer,group=*,id=*";

    /// <summary>A Raft server bean is well under a kilobyte; a bigger answer is not one, and is not read whole.</summary>
    public const int MaxAnswerBytes = 1 << 20;

    /// <summary>The roles of Ratis's RaftPeerRole (ratis-proto 3.x, Raft.proto); any other text is not a role.</summary>
    private static readonly HashSet<string> RatisRoles = new(["LEADER", "FOLLOWER", "CANDIDATE", "LISTENER"], StringComparer.OrdinalIgnoreCase);

    public async Task<NodeProbe> ProbeAsync(string nodeId, string host, int httpPort, CancellationToken cancellationToken)
    {
        var url = $"http://{host}:{httpPort}/jmx?qry={RaftServerQuery}";
        var watch = Stopwatch.StartNew();
        NodeProbe probe;
        try
        {
            using var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            if (!response.IsSuccessStatusCode)
                probe = new NodeProbe(nodeId, null, $"HTTP {(int)response.StatusCode} from {url}");
            else if (await ReadUtf8Async(response.Content, cancellationToken) is { } body)
                probe = Parse(nodeId, body);
            else
                probe = new NodeProbe(nodeId, null, $"the JMX answer from {url} is larger than {MaxAnswerBytes / 1024} KiB, so it is not a Ratis server bean");
        }
        catch (Exception e) when (e is HttpRequestException or SocketException or IOException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            probe = new NodeProbe(nodeId, null, $"unreachable at {host}:{httpPort} ({e.GetBaseException().Message})");
        }
        log.Call($"GET {url}", $"Ratis state of {nodeId}", probe.State is { } s ? $"role {s.Role}, leader {s.LeaderId ?? "none"}" : probe.Problem!, watch.Elapsed);
        return probe;
    }

    /// <summary>
    /// The body as UTF-8 whatever the Content-Type label says: Hadoop's JMXJsonServlet labels it
    /// `charset=utf8`, which .NET does not know, and JSON is UTF-8 (RFC 8259). Null when too large.
    /// </summary>
    private static async Task<string?> ReadUtf8Async(HttpContent content, CancellationToken cancellationToken)
    {
        if (content.Headers.ContentLength > MaxAnswerBytes) return null;
        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxAnswerBytes) return null;
            buffer.Write(chunk, 0, read);
        }
        return new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false).GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <summary>Parses Hadoop's JMX JSON; anything that is not a Raft server bean is a problem, not a state.</summary>
    public static NodeProbe Parse(string nodeId, string body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            if (doc.RootElement.ValueKind != JsonValueKind.Object || !doc.RootElement.TryGetProperty("beans", out var beans) || beans.ValueKind != JsonValueKind.Array)
                return new NodeProbe(nodeId, null, "the JMX answer has no 'beans' list");
            foreach (var bean in beans.EnumerateArray())
            {
                if (bean.ValueKind != JsonValueKind.Object || !bean.TryGetProperty("Role", out var role) || role.ValueKind != JsonValueKind.String) continue;
                var id = Text(bean, "Id");
                var group = Text(bean, "GroupId");
                if (string.IsNullOrEmpty(id) || string.IsNullOrEmpty(group)) continue;
                var leader = Text(bean, "LeaderId");
                // Ozone node ids are names the chart made; anything else (escapes, spaces) is not printed or believed.
                if (!Names.IsNodeId(id) || leader is { Length: > 0 } && !Names.IsNodeId(leader))
                    return new NodeProbe(nodeId, null, $"the Ratis server bean names a node id that is not a valid name ({Shown(id)}, LeaderId {Shown(leader ?? "none")})");
                if (id != nodeId)
                    return new NodeProbe(nodeId, null, $"the Ratis server at {nodeId}'s address says it is {id}: its address or DNS points at another OM");
                var roleName = role.GetString()!.Trim();
                if (!RatisRoles.Contains(roleName))
                    return new NodeProbe(nodeId, null, $"the Ratis server bean's Role is not a Ratis role ({Shown(roleName)})");
                if (roleName.Equals("LEADER", StringComparison.OrdinalIgnoreCase) && !string.IsNullOrEmpty(leader) && leader != id)
                    return new NodeProbe(nodeId, null, $"the Ratis server bean says {id} is LEADER but its LeaderId is {leader}, so its answer is not believed");
                long term = 0;
                if (bean.TryGetProperty("CurrentTerm", out var t) && (t.ValueKind != JsonValueKind.Number || !t.TryGetInt64(out term) || term < 0))
                    return new NodeProbe(nodeId, null, $"the Ratis server bean's CurrentTerm is not a whole number ({Shown(t.GetRawText())})");
                var followers = new List<string>();
                if (bean.TryGetProperty("Followers", out var f) && f.ValueKind == JsonValueKind.Array)
                {
                    foreach (var item in f.EnumerateArray())
                    {
                        if (item.ValueKind == JsonValueKind.String && PeerId(item.GetString()!) is { } peer) followers.Add(peer);
                    }
                }
                return new NodeProbe(nodeId, new RaftServerState(id, string.IsNullOrEmpty(leader) ? null : leader, term, group, roleName, followers), null);
            }
            return new NodeProbe(nodeId, null, "the JMX answer holds no Ratis server bean (is the OM still starting?)");
        }
        // ArgumentException: text that cannot be UTF-8 (a lone surrogate), found by the JMX fuzz test.
        catch (Exception e) when (e is JsonException or ArgumentException)
        {
            return new NodeProbe(nodeId, null, $"the JMX answer is not JSON ({Cli.UntrustedText.Show(e.Message, 200)})");
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

    /// <summary>A value from the answer as it may be printed: bounded, control characters escaped.</summary>
    private static string Shown(string raw) => Cli.UntrustedText.Show(raw, 40);

    private static string? Text(JsonElement bean, string name) =>
        bean.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
