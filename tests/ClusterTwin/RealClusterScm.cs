using System.Text.Json.Nodes;

namespace ClusterTwin;

/// <summary>
/// Reads the SCM ring and the datanodes from the real `ozone admin` CLI in real-cluster mode, for a
/// step's `scmMembers` and `registeredDatanodes` (tests/fixtures/ozone/admin has the shapes).
/// </summary>
public static class RealClusterScm
{
    /// <summary>
    /// `ozone admin scm roles --json`: one entry per peer of the SCM Ratis configuration, keyed by its
    /// host (GetScmRatisRolesSubcommand, SCMRatisServerImpl#getRatisRoles, Ozone 2.0–2.2). The pod name
    /// is the host's first label. Null when the answer is not that shape.
    /// </summary>
    public static List<string>? ScmMembers(string json)
    {
        if (Parse(json) is not JsonObject peers) return null;
        return peers.Select(p => p.Key.Split('.')[0]).Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// `ozone admin datanode list --json`: the datanodes SCM knows whose health is HEALTHY or
    /// HEALTHY_READONLY (a registered node that reports; STALE and DEAD ones stopped reporting:
    /// hdds.proto NodeState). 2.0 nests the host under datanodeDetails, 2.1+ is flat
    /// (ListInfoSubcommand, BasicDatanodeInfo). Null when the answer is not that shape.
    /// </summary>
    public static int? RegisteredDatanodes(string json)
    {
        if (Parse(json) is not JsonArray nodes) return null;
        return nodes.OfType<JsonObject>()
            .Where(n => n["healthState"]?.GetValueKind() == System.Text.Json.JsonValueKind.String
                        && n["healthState"]!.GetValue<string>() is "HEALTHY" or "HEALTHY_READONLY")
            .Select(n => (n["hostName"] ?? n["datanodeDetails"]?["hostName"])?.ToString())
            .Where(host => !string.IsNullOrEmpty(host))
            .Distinct(StringComparer.Ordinal)
            .Count();
    }

    private static JsonNode? Parse(string json)
    {
        try { return JsonNode.Parse(json); }
        catch (System.Text.Json.JsonException) { return null; }
    }
}
