using k8s.Models;

namespace Chart.Tests;

/// <summary>
/// The names om-lifecycle's contract (helper/README.md) gives the chart's ConfigMaps are the
/// names the chart renders, for release "ozone" as `&lt;release&gt;`.
/// </summary>
public sealed class HelperContractTests
{
    private static readonly string Readme = File.ReadAllText(Path.Combine(Helm.RepoRoot, "helper", "README.md"));

    [Theory]
    [InlineData("helm3")]
    [InlineData("helm4")]
    public async Task The_ConfigMap_names_in_the_helper_contract_are_the_rendered_ones(string helm)
    {
        var result = await Helm.TemplateAsync(helm, new Dictionary<string, string> { ["om.persistence.enabled"] = "true" });
        result.ExitCode.Should().Be(0, result.Stderr);
        var configMaps = result.All<V1ConfigMap>().Select(c => c.Metadata.Name).ToList();
        var membership = result.One<V1ConfigMap>("ozone-om-membership").Data["membership.yaml"];

        foreach (var (documented, rendered) in new[]
                 {
                     ("`<release>-om-membership`", "ozone-om-membership"),
                     ("`<release>-om-lifecycle`", "ozone-om-lifecycle"),
                 })
        {
            Readme.Should().Contain(documented);
            configMaps.Should().Contain(rendered);
        }
        Readme.Should().Contain("## The ring ConfigMap `<release>-om-ring`");
        membership.Should().Contain("ringConfigMap: ozone-om-ring");
    }
}
