using System.Diagnostics;

namespace OmLifecycle.Tests.Cli;

/// <summary>
/// Runs the real om-lifecycle executable: the NativeAOT build from `make helper` when given, else the apphost beside the tests.
/// OM_LIFECYCLE_EMULATOR (e.g. qemu-aarch64-static, as `make test-arm64` sets) runs a binary built for another
/// architecture through that emulator, so the same tests prove the linux-arm64 build on an x64 machine.
/// </summary>
public static class OmLifecycleBinary
{
    private static string? Emulator =>
        Environment.GetEnvironmentVariable("OM_LIFECYCLE_EMULATOR") is { Length: > 0 } emulator ? emulator : null;

    public static string Path =>
        Environment.GetEnvironmentVariable("OM_LIFECYCLE_BIN") is { Length: > 0 } bin && File.Exists(bin)
            ? bin
            : System.IO.Path.Combine(AppContext.BaseDirectory, "om-lifecycle");

    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    /// <summary>How to start the binary with <paramref name="args"/>, through the emulator when one is set; output redirected.</summary>
    public static ProcessStartInfo StartInfo(params IEnumerable<string> args)
    {
        var info = new ProcessStartInfo(Emulator ?? Path) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (Emulator is not null) info.ArgumentList.Add(Path);
        foreach (var arg in args) info.ArgumentList.Add(arg);
        return info;
    }

    public static async Task<Result> RunAsync(IReadOnlyDictionary<string, string?> env, params string[] args)
    {
        var info = StartInfo(args);
        foreach (var name in new[] { "POD_NAME", "HOSTNAME", "POD_NAMESPACE", "OM_LIFECYCLE_MEMBERSHIP", "OM_LIFECYCLE_KUBECONFIG", "KUBERNETES_SERVICE_HOST" })
            info.Environment.Remove(name);
        foreach (var (key, value) in env)
        {
            if (value is null) info.Environment.Remove(key);
            else info.Environment[key] = value;
        }
        var run = await ChildProcessRun.RunAsync(info, TimeSpan.FromMinutes(2));
        return new Result(run.ExitCode, run.Stdout, run.Stderr);
    }
}
