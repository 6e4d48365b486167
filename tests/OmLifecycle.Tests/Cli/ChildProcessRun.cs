using System.Diagnostics;

namespace OmLifecycle.Tests.Cli;

/// <summary>What a finished child process left: its exit code and everything it wrote.</summary>
public sealed record ProcessResult(int ExitCode, string Stdout, string Stderr);

/// <summary>Runs a prepared process to its end, reading both streams at once so neither pipe fills up.</summary>
public static class ChildProcessRun
{
    public static async Task<ProcessResult> RunAsync(ProcessStartInfo info, TimeSpan timeout)
    {
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        info.UseShellExecute = false;
        using var process = System.Diagnostics.Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(timeout);
        await process.WaitForExitAsync(deadline.Token);
        return new ProcessResult(process.ExitCode, await stdout, await stderr);
    }
}
