namespace OmLifecycle.Membership;

/// <summary>One OM of the ring: its node id (= pod name), ordinal and host.</summary>
public sealed record OmNode(string Id, int Ordinal, string Host);

public sealed record OmPorts(int Rpc, int Ratis, int Http);

public sealed record OmTimeouts(TimeSpan Bootstrap, TimeSpan WaitForTurn, TimeSpan Command, TimeSpan Decommission);

/// <summary>
/// The membership document the chart renders (helper/README.md, "The membership document"):
/// who the desired voters are and how to reach any node of the ring.
/// </summary>
public sealed record MembershipDocument(
    string ServiceId,
    string Release,
    string Namespace,
    string StatefulSet,
    string RingConfigMap,
    int Replicas,
    int? PreviousReplicas,
    string NodeIdPrefix,
    string HostPattern,
    IReadOnlyList<OmNode> Nodes,
    IReadOnlyList<string> Joining,
    IReadOnlyList<string> Leaving,
    OmPorts Ports,
    string MetadataDir,
    OmTimeouts Timeouts,
    string HeadlessService,
    int RetainedVolumes = 0)
{
    /// <summary>Any node of this ring by ordinal, also one beyond the desired size (a leaving node).</summary>
    public OmNode NodeAt(int ordinal) => new(NodeIdPrefix + ordinal, ordinal, HostFor(NodeIdPrefix + ordinal, ordinal));

    public string HostFor(string id, int ordinal) =>
        HostPattern.Replace("{id}", id, StringComparison.Ordinal).Replace("{ordinal}", ordinal.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);

    /// <summary>The ordinal of a node id of this ring, or null when the id does not belong to it.</summary>
    public int? OrdinalOf(string nodeId)
    {
        if (!nodeId.StartsWith(NodeIdPrefix, StringComparison.Ordinal)) return null;
        var rest = nodeId[NodeIdPrefix.Length..];
        if (rest.Length == 0 || rest.Length > 2 || !rest.All(char.IsAsciiDigit) || (rest.Length > 1 && rest[0] == '0')) return null;
        var ordinal = int.Parse(rest, System.Globalization.CultureInfo.InvariantCulture);
        return ordinal < MembershipLimits.MaxReplicas ? ordinal : null;
    }

    /// <summary>The node for an id of this ring; refuses ids that are not of the form prefix + ordinal.</summary>
    public OmNode NodeFor(string nodeId) =>
        OrdinalOf(nodeId) is { } ordinal
            ? NodeAt(ordinal)
            : throw Cli.LifecycleException.Refused(
                $"Node id '{Cli.UntrustedText.Show(nodeId)}' is not an OM of this ring: ids are '{NodeIdPrefix}<ordinal>' (for example {NodeIdPrefix}0). Pass one of {string.Join(", ", Nodes.Select(n => n.Id))} or a higher ordinal that is leaving.");

    /// <summary>The rendered ConfigMap that holds this document.</summary>
    public string MembershipConfigMap => StatefulSet + "-membership";

    public bool IsDesired(string nodeId) => OrdinalOf(nodeId) is { } o && o < Replicas;
}
