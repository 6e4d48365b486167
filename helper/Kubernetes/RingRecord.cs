namespace OmLifecycle.Kubernetes;

/// <summary>
/// The content of the tool-owned `&lt;release&gt;-om-ring` ConfigMap: what om-lifecycle learned at run time
/// (decommissioned nodes, pending wipes, the operation in progress, the pod holding the scale-in
/// lock) and a status people read.
/// </summary>
public sealed record RingRecord(
    IReadOnlyList<string> Decommissioned,
    IReadOnlyList<string> PendingWipe,
    int? DesiredVoters,
    IReadOnlyList<string> ActualVoters,
    string? Leader,
    string? Operation,
    string? LastError,
    DateTimeOffset? UpdatedAt,
    string? ScaleInHolder = null)
{
    public static RingRecord Empty { get; } = new([], [], null, [], null, null, null, null);

    /// <summary>Data key prefix of <see cref="Configured"/>: `configured.&lt;node&gt;`.</summary>
    public const string ConfiguredPrefix = "configured.";

    /// <summary>
    /// Per OM, the node list its om-lifecycle last wrote into that OM's ozone-site.xml (recorded
    /// after the file was written). Ozone's bootstrap pre-check re-reads exactly that file on every
    /// peer, and no Ozone command shows it to a client, so a joiner reads it here before it runs.
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Configured { get; init; } = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);

    /// <summary>Whether <paramref name="member"/> recorded a file that lists <paramref name="joiner"/>.</summary>
    public bool Lists(string member, string joiner) => Configured.TryGetValue(member, out var nodes) && nodes.Contains(joiner);

    public RingRecord WithConfigured(string member, IReadOnlyList<string> nodes) => this with
    {
        Configured = new Dictionary<string, IReadOnlyList<string>>(Configured, StringComparer.Ordinal) { [member] = nodes },
    };

    public IReadOnlyDictionary<string, string> ToData()
    {
        var data = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["decommissioned"] = string.Join(",", Decommissioned),
            ["pendingWipe"] = string.Join(",", PendingWipe),
            ["actualVoters"] = string.Join(",", ActualVoters),
        };
        if (DesiredVoters is { } d) data["desiredVoters"] = d.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (Leader is not null) data["leader"] = Leader;
        if (Operation is not null) data["operation"] = Operation;
        if (LastError is not null) data["lastError"] = LastError;
        if (UpdatedAt is { } u) data["updatedAt"] = u.ToString("O");
        if (ScaleInHolder is not null) data["scaleInHolder"] = ScaleInHolder;
        foreach (var (node, nodes) in Configured) data[ConfiguredPrefix + node] = string.Join(",", nodes);
        return data;
    }

    public static RingRecord FromData(IDictionary<string, string>? data)
    {
        if (data is null) return Empty;
        IReadOnlyList<string> List(string key) =>
            data.TryGetValue(key, out var v) ? v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : [];
        string? Text(string key) => data.TryGetValue(key, out var v) && v.Length > 0 ? v : null;
        return new RingRecord(
            List("decommissioned"), List("pendingWipe"),
            int.TryParse(Text("desiredVoters"), System.Globalization.CultureInfo.InvariantCulture, out var d) ? d : null,
            List("actualVoters"), Text("leader"), Text("operation"), Text("lastError"),
            DateTimeOffset.TryParse(Text("updatedAt"), System.Globalization.CultureInfo.InvariantCulture, out var u) ? u : null,
            Text("scaleInHolder"))
        {
            Configured = data.Keys.Where(k => k.StartsWith(ConfiguredPrefix, StringComparison.Ordinal) && k.Length > ConfiguredPrefix.Length)
                .ToDictionary(k => k[ConfiguredPrefix.Length..], List, StringComparer.Ordinal),
        };
    }

    /// <summary>
    /// How many ordinals the record says may exist: one above the highest voter or decommissioned
    /// node it has seen, so that observers also ask nodes above the desired size.
    /// </summary>
    public static int OrdinalsKnown(RingRecord? record, Func<string, int?> ordinalOf) =>
        (record?.ActualVoters ?? []).Concat(record?.Decommissioned ?? []).Select(id => ordinalOf(id) ?? -1).DefaultIfEmpty(-1).Max() + 1;

    public RingRecord WithDecommissioned(string nodeId) => this with
    {
        Decommissioned = Decommissioned.Contains(nodeId) ? Decommissioned : [.. Decommissioned, nodeId],
        PendingWipe = PendingWipe.Contains(nodeId) ? PendingWipe : [.. PendingWipe, nodeId],
        // Its file is gone with it: a later joiner on this ordinal must not be taken as configured by it.
        Configured = Configured.Where(kv => kv.Key != nodeId).ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal),
    };

    public RingRecord WithWiped(string nodeId) => this with { PendingWipe = PendingWipe.Where(n => n != nodeId).ToList() };

    /// <summary>A node wanted again is no longer decommissioned (Ozone lets the id bootstrap again, HDDS-7584).</summary>
    public RingRecord WithoutDecommissioned(IEnumerable<string> nodeIds)
    {
        var ids = nodeIds.ToHashSet();
        return this with { Decommissioned = Decommissioned.Where(n => !ids.Contains(n)).ToList() };
    }
}
