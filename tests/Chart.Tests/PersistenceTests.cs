using k8s.Models;

namespace Chart.Tests;

/// <summary>
/// Persistence is one decision for the cluster (issue 9, point 6): OMs keep the cluster id and block
/// locations that only SCM's and the datanodes' volumes hold, so OM volumes next to an SCM on
/// emptyDir lose the cluster when the SCM pod moves. om.persistence.enabled decides for all three;
/// an explicit switch of SCM or the datanodes that disagrees is refused at render.
/// </summary>
public sealed class PersistenceTests
{
    private static readonly string[] Components = ["om", "scm", "datanode"];

    public static TheoryData<string, string> MixedCases()
    {
        var data = new TheoryData<string, string>();
        // Every mix of the three switches: the documented install (OM only) and each other split.
        string[] mixes = ["om", "scm", "datanode", "om,scm", "om,datanode", "scm,datanode"];
        foreach (var helm in Helm.Versions)
            foreach (var on in mixes) data.Add(helm, on);
        return data;
    }

    [Theory]
    [MemberData(nameof(MixedCases))]
    public async Task Mixed_persistence_is_refused_naming_each_switch_and_the_fix(string helm, string on)
    {
        var enabled = on.Split(',');
        var set = Components.ToDictionary(c => $"{c}.persistence.enabled", c => enabled.Contains(c) ? "true" : "false");

        var result = await Helm.TemplateAsync(helm, set);

        result.ExitCode.Should().NotBe(0, "a cluster with some components on emptyDir loses its data when one of them moves");
        var off = Components.Except(enabled).ToList();
        result.Stderr.Should().Contain($"true: {string.Join(" and ", enabled.Select(c => $"{c}.persistence.enabled"))}")
            .And.Contain($"false: {string.Join(" and ", off.Select(c => $"{c}.persistence.enabled"))}")
            .And.Contain("one decision for the whole cluster")
            .And.Contain("all to true (production) or all to false");
    }

    [Theory]
    [MemberData(nameof(Helms))]
    public async Task Persistence_on_for_all_gives_every_stateful_component_a_volume_claim(string helm)
    {
        var set = Components.ToDictionary(c => $"{c}.persistence.enabled", _ => "true");

        var result = await Helm.TemplateAsync(helm, set);

        result.ExitCode.Should().Be(0, result.Stderr);
        foreach (var c in Components)
            result.One<V1StatefulSet>($"ozone-{c}").Spec.VolumeClaimTemplates.Should().NotBeNullOrEmpty($"{c} keeps its data");
    }

    [Theory]
    [MemberData(nameof(Helms))]
    public async Task Persistence_off_for_all_renders_with_no_volume_claims(string helm)
    {
        var result = await Helm.TemplateAsync(helm);

        result.ExitCode.Should().Be(0, result.Stderr);
        foreach (var c in Components)
            result.One<V1StatefulSet>($"ozone-{c}").Spec.VolumeClaimTemplates.Should().BeNullOrEmpty($"{c} is on emptyDir by default");
    }

    [Theory]
    [MemberData(nameof(Helms))]
    public async Task Om_persistence_alone_decides_for_SCM_and_the_datanodes(string helm)
    {
        var result = await Helm.TemplateAsync(helm, new Dictionary<string, string> { ["om.persistence.enabled"] = "true" });

        result.ExitCode.Should().Be(0, result.Stderr);
        foreach (var c in Components)
            result.One<V1StatefulSet>($"ozone-{c}").Spec.VolumeClaimTemplates.Should().NotBeNullOrEmpty($"{c} follows om.persistence.enabled");
        foreach (var c in new[] { "s3g" })
            result.One<V1StatefulSet>($"ozone-{c}").Spec.VolumeClaimTemplates.Should().BeNullOrEmpty("the S3 gateway keeps no data");
    }

    public static TheoryData<string> Helms() => new() { "helm3", "helm4" };
}
