namespace Chart.Tests;

/// <summary>scripts/check-release.sh passes on the repository and catches each kind of drift from release.env.</summary>
public sealed class ReleaseCheckTests : IDisposable
{
    private readonly string copy = Directory.CreateTempSubdirectory("release-check").FullName;

    public ReleaseCheckTests()
    {
        foreach (var path in new[] { "release.env", "scripts/check-release.sh", "helper/OmLifecycle.csproj", "docs/install.md", ".github/workflows/release.yaml", ".github/workflows/chart-test.yaml" })
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(copy, path))!);
            File.Copy(Path.Combine(Helm.RepoRoot, path), Path.Combine(copy, path));
        }
        CopyDirectory(Helm.ChartDir, Path.Combine(copy, "charts", "ozone"));
    }

    public void Dispose() => Directory.Delete(copy, recursive: true);

    [Fact]
    public async Task The_repository_agrees_with_release_env()
    {
        var result = await RunAsync();

        result.ExitCode.Should().Be(0, result.Stderr);
        result.Stdout.Should().Contain("agrees everywhere");
    }

    [Theory]
    [InlineData("charts/ozone/Chart.yaml", "version: 0.1.0", "version: 0.2.0", "Chart.yaml version is 0.2.0")]
    [InlineData("helper/OmLifecycle.csproj", "<Version>0.1.0</Version>", "<Version>0.1.1</Version>", "<Version> is 0.1.1")]
    [InlineData("charts/ozone/values.yaml", "repository: ghcr.io/ozone-om-ring/om-lifecycle", "repository: ghcr.io/someone/om-lifecycle", "a default install pulls 'ghcr.io/someone/om-lifecycle:0.1.0'")]
    [InlineData(".github/workflows/release.yaml", "tags: ${{ env.HELPER_IMAGE }}:${{ env.VERSION }}", "tags: ghcr.io/${{ github.repository_owner }}/om-lifecycle:${{ github.ref_name }}", "release.yaml spells an image")]
    [InlineData("docs/install.md", "oci://ghcr.io/ozone-om-ring/charts/ozone --version 0.1.0", "oci://ghcr.io/<owner>/charts/ozone --version 0.1.0", "docs/install.md does not give")]
    [InlineData("release.env", "VERSION=0.1.0", "VERSION = 0.1.0", "only comments and KEY=value lines")]
    public async Task Drift_from_release_env_is_named(string file, string from, string to, string message)
    {
        var path = Path.Combine(copy, file);
        File.ReadAllText(path).Should().Contain(from);
        File.WriteAllText(path, File.ReadAllText(path).Replace(from, to, StringComparison.Ordinal));

        var result = await RunAsync();

        result.ExitCode.Should().NotBe(0);
        result.Stderr.Should().Contain(message);
    }

    private Task<Helm.Result> RunAsync() => Helm.RunAsync("env", [$"OZONE_CHART_TOOLS={Helm.ToolsDir}", "bash", Path.Combine(copy, "scripts", "check-release.sh")]);

    private static void CopyDirectory(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
