using k8s.Models;

namespace Chart.Tests;

/// <summary>
/// The chart as a dependency of another chart: Helm hands every subchart the parent's `global`
/// values, so a strict schema must allow `global` or the parent cannot render at all.
/// </summary>
public sealed class SubchartTests : IDisposable
{
    private readonly string parent = Directory.CreateTempSubdirectory("ozone-parent").FullName;

    public void Dispose() => Directory.Delete(parent, recursive: true);

    [Theory]
    [InlineData("helm3")]
    [InlineData("helm4")]
    public async Task The_chart_renders_as_a_dependency_of_a_parent_chart_with_global_values(string helm)
    {
        CopyDirectory(Helm.ChartDir, Path.Combine(parent, "charts", "ozone"));
        File.WriteAllText(Path.Combine(parent, "Chart.yaml"), """
            apiVersion: v2
            name: platform
            version: 1.0.0
            dependencies:
              - name: ozone
                version: 0.1.0
            """);
        File.WriteAllText(Path.Combine(parent, "values.yaml"), """
            global:
              imageRegistry: registry.example.com
              storageClass: fast
            ozone:
              om:
                replicas: 3
            """);

        var result = await Helm.RunAsync(Path.Combine(Helm.ToolsDir, helm), ["template", "data", parent, "--namespace", "storage"]);

        result.ExitCode.Should().Be(0, result.Stderr);
        var om = result.One<V1StatefulSet>("data-ozone-om");
        om.Spec.Replicas.Should().Be(3);
        om.Spec.Template.Spec.Containers.Single().Env.Should().Contain(e => e.Name == "OZONE-SITE.XML_ozone.scm.names"
            && e.Value == "data-ozone-scm-0.data-ozone-scm-headless.storage.svc.cluster.local");
    }

    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from)) File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        foreach (var dir in Directory.GetDirectories(from)) CopyDirectory(dir, Path.Combine(to, Path.GetFileName(dir)));
    }
}
