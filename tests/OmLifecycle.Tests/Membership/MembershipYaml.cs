using System.Text;
using OmLifecycle.Membership;

namespace OmLifecycle.Tests.Membership;

/// <summary>Builds membership documents as the chart renders them, with knobs for bad input.</summary>
public sealed class MembershipYaml
{
    public string ServiceId { get; set; } = "ozone";
    public string Release { get; set; } = "ozone";
    public int Replicas { get; set; } = 3;
    public int? PreviousReplicas { get; set; } = 3;
    public int RetainedVolumes { get; set; }
    public string HostPattern { get; set; } = "{id}.ozone-om-headless.default.svc.cluster.local";
    public string MetadataDir { get; set; } = "/data/metadata";
    public List<string> Joining { get; } = [];
    public List<string> Leaving { get; } = [];
    public Func<int, string>? HostOverride { get; set; }
    public Func<int, string>? IdOverride { get; set; }
    public int? NodeCount { get; set; }
    public int DecommissionTimeout { get; set; } = 600;
    public int CommandTimeout { get; set; } = 120;
    public int WaitForTurnTimeout { get; set; } = 3600;

    public string Render()
    {
        var text = new StringBuilder();
        text.AppendLine("version: 1");
        text.AppendLine($"serviceId: {ServiceId}");
        text.AppendLine($"release: {Release}");
        text.AppendLine("namespace: default");
        text.AppendLine($"statefulSet: {Release}-om");
        text.AppendLine($"ringConfigMap: {Release}-om-ring");
        text.AppendLine($"replicas: {Replicas}");
        text.AppendLine($"previousReplicas: {(PreviousReplicas is { } p ? p.ToString() : "null")}");
        if (RetainedVolumes > 0) text.AppendLine($"retainedVolumes: {RetainedVolumes}");
        text.AppendLine($"nodeIdPrefix: {Release}-om-");
        text.AppendLine($"hostPattern: \"{HostPattern}\"");
        text.AppendLine("nodes:");
        for (var i = 0; i < (NodeCount ?? Replicas); i++)
        {
            var id = IdOverride?.Invoke(i) ?? $"{Release}-om-{i}";
            var host = HostOverride?.Invoke(i) ?? HostPattern.Replace("{id}", id).Replace("{ordinal}", i.ToString());
            text.AppendLine($"  - id: \"{id}\"");
            text.AppendLine($"    host: \"{host}\"");
        }
        text.AppendLine($"joining: [{string.Join(", ", Joining)}]");
        text.AppendLine($"leaving: [{string.Join(", ", Leaving)}]");
        text.AppendLine("ports: { rpc: 9862, ratis: 9872, http: 9874 }");
        text.AppendLine($"paths: {{ metadataDir: {MetadataDir} }}");
        text.AppendLine($"timeouts: {{ bootstrap: 900, waitForTurn: {WaitForTurnTimeout}, command: {CommandTimeout}, decommission: {DecommissionTimeout} }}");
        return text.ToString();
    }

    public MembershipDocument Parse() => MembershipLoader.Parse(Render());
}
