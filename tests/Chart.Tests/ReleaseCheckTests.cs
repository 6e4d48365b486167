namespace Chart.Tests;

/// <summary>scripts/check-release.sh passes on the repository and catches each kind of drift from release.env.</summary>
public sealed class ReleaseCheckTests : IDisposable
{
    private readonly string copy = Directory.CreateTempSubdirectory("release-check").FullName;

    public ReleaseCheckTests()
    {
        foreach (var path in new[] { "release.env", "scripts/check-release.sh", "helper/OmLifecycle.csproj", "docs/install.md", ".github/workflows/release.yaml", ".github/workflows/chart-test.yaml", "Dockerfile", "artifacthub-repo.yml" })
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
    [InlineData("release.env", "SOURCE_REPOSITORY=https://github.com/ozone-om-ring/ozone-helm", "SOURCE_REPOSITORY=https://github.com/someone/ozone-helm", "org.opencontainers.image.source is not https://github.com/someone/ozone-helm")]
    [InlineData("Dockerfile", "FROM --platform=$BUILDPLATFORM mcr.microsoft.com", "FROM mcr.microsoft.com", "it would emulate the compiler")]
    [InlineData(".github/workflows/release.yaml", "platforms: linux/amd64,linux/arm64", "platforms: linux/amd64", "release.yaml lacks 'platforms: linux/amd64,linux/arm64'")]
    [InlineData(".github/workflows/release.yaml", "sbom: true", "sbom: false", "release.yaml lacks 'sbom: true'")]
    [InlineData(".github/workflows/release.yaml", "provenance: mode=max", "provenance: false", "release.yaml lacks 'provenance: mode=max'")]
    [InlineData(".github/workflows/release.yaml", "run: cosign sign --yes \"${HELPER_IMAGE}@${DIGEST}\"", "run: echo unsigned", "release.yaml lacks 'cosign sign --yes \"${HELPER_IMAGE}@${DIGEST}\"'")]
    [InlineData(".github/workflows/release.yaml", "cosign sign --yes \"${CHART_REPOSITORY#oci://}/ozone@${digest}\"", "true", "release.yaml lacks 'cosign sign --yes \"${CHART_REPOSITORY#oci://}/ozone@${digest}\"'")]
    [InlineData("charts/ozone/Chart.yaml", "artifacthub.io/changes:", "artifacthub.io/notes:", "no artifacthub.io/changes annotation")]
    [InlineData("docs/install.md", "cosign verify ghcr.io/ozone-om-ring/charts/ozone:0.1.0", "cosign verify ghcr.io/ozone-om-ring/charts/ozone:0.0.9", "does not give 'cosign verify ghcr.io/ozone-om-ring/charts/ozone:0.1.0'")]
    [InlineData("docs/install.md", "release.yaml@refs/tags/v0.1.0", "release.yaml@refs/heads/main", "does not give '--certificate-identity https://github.com/ozone-om-ring/ozone-helm/.github/workflows/release.yaml@refs/tags/v0.1.0'")]
    public async Task Drift_from_release_env_is_named(string file, string from, string to, string message)
    {
        var path = Path.Combine(copy, file);
        File.ReadAllText(path).Should().Contain(from);
        File.WriteAllText(path, File.ReadAllText(path).Replace(from, to, StringComparison.Ordinal));

        var result = await RunAsync();

        result.ExitCode.Should().NotBe(0);
        result.Stderr.Should().Contain(message);
    }

    [Fact]
    public async Task A_missing_artifact_hub_repository_file_is_named()
    {
        File.Delete(Path.Combine(copy, "artifacthub-repo.yml"));

        var result = await RunAsync();

        result.ExitCode.Should().NotBe(0);
        result.Stderr.Should().Contain("artifacthub-repo.yml is missing");
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
