using System.Diagnostics;

namespace FakeKubeApi.Tests;

/// <summary>The pinned Helm binaries from `make tools`.</summary>
public static class Tools
{
    public static string Dir =>
        Environment.GetEnvironmentVariable("OZONE_CHART_TOOLS") is { Length: > 0 } dir ? dir : Path.Combine(RepoRoot, ".tools", "bin");

    public static string RepoRoot
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "OzoneChart.slnx"))) dir = dir.Parent;
            return dir?.FullName ?? throw new InvalidOperationException("repository root not found");
        }
    }

    public static async Task<(int Code, string Stdout, string Stderr)> RunAsync(string exe, params string[] args)
    {
        var info = new ProcessStartInfo(exe) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) info.ArgumentList.Add(a);
        info.Environment["HELM_CACHE_HOME"] = Path.Combine(Path.GetTempPath(), "helm-cache");
        info.Environment["HELM_CONFIG_HOME"] = Path.Combine(Path.GetTempPath(), "helm-config");
        info.Environment["HELM_DATA_HOME"] = Path.Combine(Path.GetTempPath(), "helm-data");
        using var p = Process.Start(info)!;
        var o = p.StandardOutput.ReadToEndAsync();
        var e = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        return (p.ExitCode, await o, await e);
    }
}
