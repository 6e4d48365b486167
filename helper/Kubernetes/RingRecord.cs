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
            Text("scaleInHolder"));
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
    };

    public RingRecord WithWiped(string nodeId) => this with { PendingWipe = PendingWipe.Where(n => n != nodeId).ToList() };

    /// <summary>A node wanted again is no longer decommissioned (Ozone lets the id bootstrap again, HDDS-7584).</summary>
    public RingRecord WithoutDecommissioned(IEnumerable<string> nodeIds)
    {
        var ids = nodeIds.ToHashSet();
        return this with { Decommissioned = Decommissioned.Where(n => !ids.Contains(n)).ToList() };
    }
}
