using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace OzoneSimulator;

/// <summary>
/// The OM's HTTP server: /jmx with Hadoop's JSON shape ({"beans":[…]}) for the Ratis server bean
/// (attributes of Ratis' RaftServerMXBean: Id, LeaderId, CurrentTerm, GroupId, Role, Followers)
/// and OzoneManager's OMHAMetrics bean.
/// </summary>
public sealed class JmxServer(SimState state, string nodeId, string serviceId, string host, int port, int ratisPort) : IDisposable
{
    private readonly LoopbackHttpServer server = new(host, port, target =>
    {
        var query = Uri.UnescapeDataString(target.Contains("qry=", StringComparison.Ordinal) ? target[(target.IndexOf("qry=", StringComparison.Ordinal) + 4)..] : "");
        var body = state.Faults().GarbageJmx.Contains(nodeId) ? "<html>Error 500 garbage</html>" : Beans(state.Read(), nodeId, ratisPort, query, serviceId);
        // Jetty streams the servlet's answer chunked, labelled with the servlet's "charset=utf8".
        return new HttpAnswer("200 OK", body, Chunked: true, ExtraHeaders: "Cache-Control: no-cache\r\nX-Content-Type-Options: nosniff\r\n");
    });

    public void Start() => server.Start();

    public void Dispose() => server.Dispose();

    /// <summary>The beans whose name matches the JMX query (a '*' matches anything), as Hadoop's JMXJsonServlet answers.</summary>
    /// <remarks>Each value follows a fixture in tests/fixtures/ozone/jmx (see its README for the Ratis and Hadoop sources).</remarks>
    public static string Beans(Ring ring, string nodeId, int ratisPort, string query = "", string? serviceId = null)
    {
        var isVoter = ring.Voters.Contains(nodeId);
        var group = ring.GroupId ?? Ring.GroupIdFor(serviceId ?? "");
        var beans = new List<JsonObject>();
        // A removed OM that keeps running campaigns; the leader tells it to shut its Ratis server down, and the bean goes.
        if (isVoter || !ring.Removed.Contains(nodeId))
        {
            var stale = ring.StaleLeader is { } s && s.Id == nodeId ? s : null;
            // An isolated voter hears no leader: it keeps the term it last knew (pre-vote does not raise it).
            var isolatedTerm = ring.IsolatedTerms.TryGetValue(nodeId, out var t) ? t : (long?)null;
            var leader = stale is not null ? nodeId : isolatedTerm is not null ? null : isVoter ? ring.Leader : null;
            // A joiner is a FOLLOWER of the ring's group that has heard from no leader yet; a voter with no leader campaigns.
            var role = leader == nodeId ? "LEADER" : isVoter && leader is null ? "CANDIDATE" : "FOLLOWER";
            var followers = new JsonArray();
            if (stale is not null)
            {
                // LeaderStateImpl#checkLeadership has not stepped it down yet: it still lists its old configuration.
                foreach (var v in stale.Followers) followers.Add($"{v}|{ring.Running.GetValueOrDefault(v)?.Host ?? v}:{ratisPort}");
            }
            else if (leader == nodeId)
            {
                // LeaderStateImpl (Ratis 3.1–3.2) starts a log appender for a staging peer before the
                // configuration change, and getFollowers lists every appender: a joiner still catching up shows too.
                foreach (var v in ring.Voters.Concat(ring.PendingJoiners).Distinct().Where(v => v != nodeId))
                    followers.Add($"{v}|{ring.Running.GetValueOrDefault(v)?.Host ?? v}:{ratisPort}");
            }
            beans.Add(new JsonObject
            {
                ["name"] = $"Ratis:service=RaftServer,group={group},id={nodeId}",
                ["modelerType"] = "org.apache.ratis.server.impl.RaftServerJmxAdapter",
                ["Id"] = nodeId,
                ["LeaderId"] = leader,
                ["CurrentTerm"] = stale?.Term ?? isolatedTerm ?? (isVoter ? ring.Term : 0),
                ["GroupId"] = group,
                // RoleInfo.toString(): String.format("%9s", role).
                ["Role"] = role.PadLeft(9),
                ["Followers"] = followers,
                ["Groups"] = new JsonArray(group),
            });
        }
        beans.Add(new JsonObject
        {
            ["name"] = "Hadoop:service=OzoneManager,name=OMHAMetrics",
            ["modelerType"] = "OMHAMetrics",
            ["tag.NodeId"] = nodeId,
            ["OzoneManagerHALeaderState"] = isVoter && (ring.Leader == nodeId || ring.StaleLeader?.Id == nodeId) ? 1 : 0,
        });
        var pattern = "^" + Regex.Escape(query.Length == 0 ? "*" : query).Replace("\\*", ".*") + "$";
        var matching = new JsonArray(beans.Where(b => Regex.IsMatch((string)b["name"]!, pattern)).ToArray<JsonNode?>());
        return HadoopJson.Write(new JsonObject { ["beans"] = matching });
    }
}
