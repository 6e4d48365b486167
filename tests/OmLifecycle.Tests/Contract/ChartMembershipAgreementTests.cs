using System.Diagnostics;
using OmLifecycle.Cli;
using OmLifecycle.Membership;
using OmLifecycle.Tests.Cli;
using YamlDotNet.RepresentationModel;

namespace OmLifecycle.Tests.Contract;

/// <summary>
/// What the chart renders, om-lifecycle accepts; what om-lifecycle refuses, the chart refuses first.
/// Each row drives one value that reaches the membership document to its edge under both Helms:
/// the chart's document must load, and one step past the edge both the chart (at render) and
/// om-lifecycle (in the document) must refuse. ChartLimitsTests compares the bounds themselves.
/// </summary>
public sealed class ChartMembershipAgreementTests
{
    public static TheoryData<string, string, string[]> Accepted()
    {
        var data = new TheoryData<string, string, string[]>();
        var long63 = "r" + new string('a', 61) + "z";
        var cases = new (string Name, string[] Args)[]
        {
            ("one OM", ["--set", "om.replicas=1"]),
            ($"{MembershipLimits.MaxReplicas} OMs", ["--set", $"om.replicas={MembershipLimits.MaxReplicas}"]),
            ("shortest timeouts", ["--set", "om.lifecycle.bootstrapTimeout=1,om.lifecycle.waitForTurnTimeout=1,om.lifecycle.commandTimeout=1,om.lifecycle.decommissionTimeout=1"]),
            ("longest timeouts", ["--set", $"om.lifecycle.bootstrapTimeout={MembershipLimits.MaxTimeoutSeconds},om.lifecycle.waitForTurnTimeout={MembershipLimits.MaxTimeoutSeconds},om.lifecycle.commandTimeout={MembershipLimits.MaxTimeoutSeconds},om.lifecycle.decommissionTimeout={MembershipLimits.MaxTimeoutSeconds}"]),
            ("edge ports", ["--set", "om.ports.rpc=1,om.ports.ratis=2,om.ports.http=65535"]),
            ("a path under /srv", ["--set", "om.persistence.enabled=true,scm.persistence.enabled=true,datanode.persistence.enabled=true,om.persistence.path=/srv/om"]),
            ("a hidden top-level path", ["--set", "om.persistence.enabled=true,scm.persistence.enabled=true,datanode.persistence.enabled=true,om.persistence.path=/.om"]),
            ("a 63-character cluster id", ["--set-string", $"clusterId={long63}"]),
            ("a 63-character namespace", ["--namespace", long63]),
            // The chart's own name limit (its pods' labels and Services stop at 63 characters).
            ("a 37-character release name", ["--release", "r" + new string('a', 35) + "z"]),
            ("a 43-character fullnameOverride", ["--set", "fullnameOverride=s" + new string('t', 41) + "e"]),
            ("another cluster domain", ["--set", "clusterDomain=k8s.example.internal"]),
        };
        foreach (var helm in new[] { "helm3", "helm4" })
            foreach (var (name, args) in cases) data.Add(helm, name, args);
        return data;
    }

    [Theory]
    [MemberData(nameof(Accepted))]
    public async Task Every_document_the_chart_renders_at_an_edge_loads_in_om_lifecycle(string helm, string name, string[] args)
    {
        var render = await RenderAsync(helm, args);
        render.ExitCode.Should().Be(0, $"{name}: the chart accepts this value: {render.Stderr}");

        var act = () => MembershipLoader.Parse(MembershipOf(render.Stdout), name);

        act.Should().NotThrow($"{name}: om-lifecycle must accept what the chart renders");
    }

    /// <summary>(the value one step past the edge, the document field it becomes, that field's value)</summary>
    public static TheoryData<string, string, string, string> Refused()
    {
        var data = new TheoryData<string, string, string, string>();
        var rows = new (string Set, string Field, string Value)[]
        {
            ("om.replicas=0", "replicas", "0"),
            ($"om.replicas={MembershipLimits.MaxReplicas + 1}", "replicas", $"{MembershipLimits.MaxReplicas + 1}"),
            ("om.lifecycle.bootstrapTimeout=0", "timeouts.bootstrap", "0"),
            ($"om.lifecycle.waitForTurnTimeout={MembershipLimits.MaxTimeoutSeconds + 1}", "timeouts.waitForTurn", $"{MembershipLimits.MaxTimeoutSeconds + 1}"),
            ("om.lifecycle.commandTimeout=0", "timeouts.command", "0"),
            ($"om.lifecycle.decommissionTimeout={MembershipLimits.MaxTimeoutSeconds + 1}", "timeouts.decommission", $"{MembershipLimits.MaxTimeoutSeconds + 1}"),
            ("om.ports.rpc=0", "ports.rpc", "0"),
            ("om.ports.http=65536", "ports.http", "65536"),
            ("om.ports.ratis=9862", "ports.ratis", "9862"),
            ("om.persistence.enabled=true,scm.persistence.enabled=true,datanode.persistence.enabled=true,om.persistence.path=/etc/om", "paths.metadataDir", "/etc/om/metadata"),
            ("om.persistence.enabled=true,scm.persistence.enabled=true,datanode.persistence.enabled=true,om.persistence.path=/data/../etc", "paths.metadataDir", "/data/../etc/metadata"),
            ("clusterId=Ozone_Ring", "serviceId", "Ozone_Ring"),
            ("clusterId=r" + new string('a', 62) + "z", "serviceId", "r" + new string('a', 62) + "z"),
        };
        foreach (var helm in new[] { "helm3", "helm4" })
            foreach (var (set, field, value) in rows) data.Add(helm, set, field, value);
        return data;
    }

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task A_value_om_lifecycle_would_refuse_is_refused_by_the_chart_at_render(string helm, string set, string field, string value)
    {
        var defaults = await RenderAsync(helm, []);
        defaults.ExitCode.Should().Be(0, defaults.Stderr);
        var document = WithField(MembershipOf(defaults.Stdout), field, value);

        var load = () => MembershipLoader.Parse(document, field);
        load.Should().Throw<LifecycleException>($"om-lifecycle refuses {field}: {value}").Which.Message.Should().Contain(field);

        var render = await RenderAsync(helm, ["--set", set]);
        render.ExitCode.Should().NotBe(0, $"the chart must refuse {set} at render, before a pod meets it");
        render.Stderr.Should().NotContain("panic", "a refusal is a message, not a crash");
    }

    private static async Task<ProcessResult> RenderAsync(string helm, string[] args)
    {
        var release = "ozone";
        var rest = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--release") release = args[++i];
            else rest.Add(args[i]);
        }
        var start = new ProcessStartInfo(Path.Combine(Repository.ToolsDir, helm));
        foreach (var arg in (string[])["template", release, Path.Combine(Repository.Root, "charts", "ozone"), .. rest]) start.ArgumentList.Add(arg);
        return await ChildProcessRun.RunAsync(start, TimeSpan.FromMinutes(2));
    }

    /// <summary>The membership.yaml the OM pods mount (the OM membership ConfigMap).</summary>
    private static string MembershipOf(string manifest)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(manifest));
        var documents = stream.Documents
            .Select(d => d.RootNode)
            .OfType<YamlMappingNode>()
            .Where(m => m.Children.TryGetValue("kind", out var kind) && kind.ToString() == "ConfigMap")
            .Where(m => ((YamlMappingNode)m["metadata"])["name"].ToString().EndsWith("-om-membership", StringComparison.Ordinal))
            .Select(m => ((YamlMappingNode)m["data"])["membership.yaml"].ToString())
            .ToList();
        documents.Should().ContainSingle("the chart renders one OM membership ConfigMap");
        return documents[0];
    }

    /// <summary>The document with one field (a.b for a nested one) set to a value, as the chart would have rendered it.</summary>
    private static string WithField(string document, string field, string value)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(document));
        var node = (YamlMappingNode)stream.Documents[0].RootNode;
        var path = field.Split('.');
        foreach (var key in path[..^1]) node = (YamlMappingNode)node[key];
        node.Children[new YamlScalarNode(path[^1])] = new YamlScalarNode(value);
        using var writer = new StringWriter();
        stream.Save(writer, assignAnchors: false);
        return writer.ToString();
    }
}
