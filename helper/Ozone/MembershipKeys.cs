using OmLifecycle.Membership;

namespace OmLifecycle.Ozone;

/// <summary>The ozone-site.xml keys om-lifecycle owns, computed from the ring's node lists.</summary>
public static class MembershipKeys
{
    public const string FlexibleFqdn = "ozone.network.flexible.fqdn.resolution.enabled";

    /// <summary>True for every key this tool writes; the rest of ozone-site.xml is left alone.</summary>
    public static bool IsOwned(string key, string serviceId) =>
        key is "ozone.om.service.ids" or "ozone.om.internal.service.id" or "ozone.om.node.id" or FlexibleFqdn
        || key == $"ozone.om.nodes.{serviceId}"
        || key == $"ozone.om.decommissioned.nodes.{serviceId}"
        || key.StartsWith($"ozone.om.address.{serviceId}.", StringComparison.Ordinal)
        || key.StartsWith($"ozone.om.ratis.port.{serviceId}.", StringComparison.Ordinal)
        || key.StartsWith($"ozone.om.http-address.{serviceId}.", StringComparison.Ordinal);

    /// <summary>
    /// The keys for a node (or a client when <paramref name="selfId"/> is null) that sees
    /// <paramref name="nodes"/> as the ring and <paramref name="decommissioned"/> as removed.
    /// Decommissioned nodes keep their addresses: Ozone's decommission check compares them.
    /// </summary>
    public static IReadOnlyDictionary<string, string> For(MembershipDocument doc, IEnumerable<OmNode> nodes, IEnumerable<OmNode> decommissioned, string? selfId)
    {
        var svc = doc.ServiceId;
        var ring = nodes.OrderBy(n => n.Ordinal).ToList();
        var removed = decommissioned.Where(d => ring.All(n => n.Id != d.Id)).OrderBy(n => n.Ordinal).ToList();
        var keys = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["ozone.om.service.ids"] = svc,
            ["ozone.om.internal.service.id"] = svc,
            [$"ozone.om.nodes.{svc}"] = string.Join(",", ring.Select(n => n.Id)),
            [FlexibleFqdn] = "true",
        };
        if (removed.Count > 0) keys[$"ozone.om.decommissioned.nodes.{svc}"] = string.Join(",", removed.Select(n => n.Id));
        if (selfId is not null) keys["ozone.om.node.id"] = selfId;
        foreach (var node in ring.Concat(removed))
        {
            keys[$"ozone.om.address.{svc}.{node.Id}"] = $"{node.Host}:{doc.Ports.Rpc}";
            keys[$"ozone.om.ratis.port.{svc}.{node.Id}"] = doc.Ports.Ratis.ToString(System.Globalization.CultureInfo.InvariantCulture);
            keys[$"ozone.om.http-address.{svc}.{node.Id}"] = $"{node.Host}:{doc.Ports.Http}";
        }
        return keys;
    }
}
