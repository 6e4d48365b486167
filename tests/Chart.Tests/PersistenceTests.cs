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

    // Ozone keeps what it must not lose under ozone.metadata.dirs (OzoneConsts, ServerUtils#getOzoneMetaDirPath),
    // the datanode's id file under ozone.scm.datanode.id.dir and its containers under hdds.datanode.dir:
    // all three must be on the component's volume wherever persistence.path mounts it.
    [Theory]
    [MemberData(nameof(Helms))]
    public async Task Every_data_directory_follows_its_components_persistence_path(string helm)
    {
        var set = Components.ToDictionary(c => $"{c}.persistence.enabled", _ => "true");
        foreach (var c in Components) set[$"{c}.persistence.path"] = $"/var/lib/ozone-{c}";

        var result = await Helm.TemplateAsync(helm, set);

        result.ExitCode.Should().Be(0, result.Stderr);
        foreach (var c in Components)
        {
            var container = result.One<V1StatefulSet>($"ozone-{c}").Spec.Template.Spec.Containers[0];
            var env = container.Env.Where(e => e.Value is not null).ToDictionary(e => e.Name, e => e.Value);
            container.VolumeMounts.Select(m => m.MountPath).Should().Contain($"/var/lib/ozone-{c}");
            env["OZONE-SITE.XML_ozone.metadata.dirs"].Should().Be($"/var/lib/ozone-{c}/metadata", $"{c}'s metadata must be on its volume");
            env["OZONE-SITE.XML_ozone.scm.datanode.id.dir"].Should().Be($"/var/lib/ozone-{c}");
            env["OZONE-SITE.XML_hdds.datanode.dir"].Should().Be($"/var/lib/ozone-{c}/storage");
        }
        result.Stdout.Should().Contain("metadataDir: /var/lib/ozone-om/metadata", "om-lifecycle's membership names the same directory the OM uses");
    }

    public static TheoryData<string> Helms() => new() { "helm3", "helm4" };
}
