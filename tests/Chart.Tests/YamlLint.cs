using System.Diagnostics;

namespace Chart.Tests;

/// <summary>yamllint with chart-testing's configuration (lintconf.yaml at the repository root).</summary>
public static class YamlLint
{
    /// <summary>The problems yamllint reports for <paramref name="yaml"/>; empty when clean.</summary>
    public static async Task<IReadOnlyList<string>> RunAsync(string yaml)
    {
        var file = Path.GetTempFileName();
        await File.WriteAllTextAsync(file, yaml);
        try
        {
            var info = new ProcessStartInfo("yamllint") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var a in new[] { "-f", "parsable", "-c", Path.Combine(Helm.RepoRoot, "lintconf.yaml"), file }) info.ArgumentList.Add(a);
            using var p = Process.Start(info)!;
            var output = await p.StandardOutput.ReadToEndAsync();
            await p.WaitForExitAsync();
            return output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
