using System.Diagnostics;

namespace OmLifecycle.Tests.Cli;

/// <summary>Runs the real om-lifecycle executable: the NativeAOT build from `make helper` when given, else the apphost beside the tests.</summary>
public static class OmLifecycleBinary
{
    public static string Path =>
        Environment.GetEnvironmentVariable("OM_LIFECYCLE_BIN") is { Length: > 0 } bin && File.Exists(bin)
            ? bin
            : System.IO.Path.Combine(AppContext.BaseDirectory, "om-lifecycle");

    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    public static async Task<Result> RunAsync(IReadOnlyDictionary<string, string?> env, params string[] args)
    {
        var info = new ProcessStartInfo(Path) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args) info.ArgumentList.Add(arg);
        foreach (var name in new[] { "POD_NAME", "HOSTNAME", "POD_NAMESPACE", "OM_LIFECYCLE_MEMBERSHIP", "OM_LIFECYCLE_KUBECONFIG", "KUBERNETES_SERVICE_HOST" })
            info.Environment.Remove(name);
        foreach (var (key, value) in env)
        {
            if (value is null) info.Environment.Remove(key);
            else info.Environment[key] = value;
        }
        using var process = System.Diagnostics.Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return new Result(process.ExitCode, await stdout, await stderr);
    }
}
