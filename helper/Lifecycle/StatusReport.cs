using System.Text;
using System.Text.Json;
using OmLifecycle.Cli;
using OmLifecycle.Kubernetes;
using OmLifecycle.Membership;
using OmLifecycle.Ozone;
using OmLifecycle.Volume;

namespace OmLifecycle.Lifecycle;

/// <summary>
/// `status`: what a person inside a pod needs when something looks wrong: the live ring, the
/// tool's record, this node's volume, and what `start` would do now and why.
/// </summary>
public sealed class StatusReport(LifecycleContext ctx)
{
    public async Task<int> RunAsync(string output, CancellationToken cancellationToken)
    {
        var record = ctx.Kube.Available ? await ctx.Kube.ReadRingAsync(cancellationToken) : null;
        var ring = await ctx.ObserveAsync(RingRecord.OrdinalsKnown(record, ctx.Doc.OrdinalOf), cancellationToken);
        var self = ctx.Env.PodName is { } pod && ctx.Doc.OrdinalOf(pod) is not null ? ctx.Doc.NodeFor(pod) : null;

        BootstrapMarker? marker = null;
        OmVersionFile? version = null;
        string? volumeProblem = null;
        StartPlan? plan = null;
        if (self is not null)
        {
            try
            {
                marker = BootstrapMarker.Read(ctx.Doc.MetadataDir);
                var locations = ctx.DataLocations();
                version = OmVersionFile.Read(locations.DbRoot);
                plan = StartDecision.Decide(new StartFacts(ctx.Doc, self, marker, version, ring, record, ctx.Kube.Available, Locations: locations));
            }
            catch (LifecycleException e)
            {
                volumeProblem = e.Message;
            }
        }

        Console.Write(output == "json" ? Json(ring, record, self, marker, version, plan, volumeProblem) : Table(ring, record, self, marker, version, plan, volumeProblem));
        return (int)ExitCode.Done;
    }

    private string Table(RingView ring, RingRecord? record, OmNode? self, BootstrapMarker? marker, OmVersionFile? version, StartPlan? plan, string? volumeProblem)
    {
        var text = new StringBuilder();
        text.AppendLine($"ring {ctx.Doc.ServiceId}: desired {ctx.Doc.Replicas} voters, leader {ring.LeaderId ?? "NONE"}{(ring.LeaderTerm is { } term ? $" (term {term})" : "")}");
        if (ring.LeaderProblem is { } unbelieved) text.AppendLine($"no leader believed: {unbelieved}");
        text.AppendLine($"{"NODE",-24} {"VOTER",-6} {"ALIVE",-6} {"ROLE",-10} {"DESIRED",-8} NOTE");
        var ids = ring.Voters.Concat(ctx.Doc.Nodes.Select(n => n.Id)).Concat(ring.Probes.Keys).Distinct()
            .OrderBy(id => ctx.Doc.OrdinalOf(id) ?? int.MaxValue);
        foreach (var id in ids)
        {
            var probe = ring.Probes.GetValueOrDefault(id);
            var note = record?.PendingWipe.Contains(id) == true ? "decommissioned, wipe pending" : record?.Decommissioned.Contains(id) == true ? "decommissioned" : probe?.Problem ?? "";
            text.AppendLine($"{id,-24} {Yes(ring.IsVoter(id)),-6} {Yes(ring.IsAlive(id)),-6} {probe?.State?.Role ?? "-",-10} {Yes(ctx.Doc.IsDesired(id)),-8} {note}");
        }
        if (record is null) text.AppendLine(ctx.Kube.Available ? $"ring record {ctx.Doc.RingConfigMap}: none yet" : "ring record: Kubernetes API not available here");
        else
        {
            if (record.Operation is not null) text.AppendLine($"operation in progress: {record.Operation}");
            if (record.LastError is not null) text.AppendLine($"last error: {record.LastError}");
        }
        if (self is null)
        {
            text.AppendLine($"this pod ({(ctx.Env.PodName is { } name ? $"'{Cli.UntrustedText.Show(name)}'" : "unknown")}) is not an OM of this ring: no volume to show.");
            return text.ToString();
        }
        text.AppendLine($"this node: {self.Id} ({self.Host})");
        text.AppendLine($"  marker:  {(marker is null ? "none" : $"{marker.NodeId} of {marker.ServiceId}, {marker.Mode}, {marker.ConfirmedAt:O}")}");
        text.AppendLine($"  VERSION: {(version is null ? "none" : $"node {version.NodeId}, cluster {version.ClusterId}")}");
        text.AppendLine(volumeProblem is not null ? $"  problem: {volumeProblem}" : $"  start would: {plan!.Action}: {plan.Reason}");
        return text.ToString();
    }

    private string Json(RingView ring, RingRecord? record, OmNode? self, BootstrapMarker? marker, OmVersionFile? version, StartPlan? plan, string? volumeProblem)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("serviceId", ctx.Doc.ServiceId);
            json.WriteNumber("desiredVoters", ctx.Doc.Replicas);
            WriteOrNull(json, "leader", ring.LeaderId);
            if (ring.LeaderTerm is { } term) json.WriteNumber("term", term);
            else json.WriteNull("term");
            WriteList(json, "voters", ring.Voters);
            WriteList(json, "aliveVoters", ring.AliveVoters);
            json.WriteStartArray("nodes");
            foreach (var probe in ring.Probes.Values.OrderBy(p => ctx.Doc.OrdinalOf(p.NodeId) ?? int.MaxValue))
            {
                json.WriteStartObject();
                json.WriteString("id", probe.NodeId);
                WriteOrNull(json, "role", probe.State?.Role);
                WriteOrNull(json, "problem", probe.Problem);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            if (record is null) json.WriteNull("record");
            else
            {
                json.WriteStartObject("record");
                foreach (var (key, value) in record.ToData()) json.WriteString(key, value);
                json.WriteEndObject();
            }
            if (self is null) json.WriteNull("self");
            else
            {
                json.WriteStartObject("self");
                json.WriteString("id", self.Id);
                WriteOrNull(json, "markerNode", marker?.NodeId);
                WriteOrNull(json, "markerService", marker?.ServiceId);
                WriteOrNull(json, "versionNode", version?.NodeId);
                WriteOrNull(json, "startAction", plan?.Action.ToString());
                WriteOrNull(json, "reason", volumeProblem ?? plan?.Reason);
                json.WriteEndObject();
            }
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    private static string Yes(bool value) => value ? "yes" : "no";

    private static void WriteOrNull(Utf8JsonWriter json, string name, string? value)
    {
        if (value is null) json.WriteNull(name);
        else json.WriteString(name, value);
    }

    private static void WriteList(Utf8JsonWriter json, string name, IEnumerable<string> values)
    {
        json.WriteStartArray(name);
        foreach (var v in values) json.WriteStringValue(v);
        json.WriteEndArray();
    }
}
