using System.Diagnostics;

namespace OmLifecycle.Process;

/// <summary>Runs a child process with its arguments as an array and collects its output.</summary>
public sealed class ProcessRunner : IProcessRunner
{
    public async Task<ProcessResult> RunAsync(ProcessSpec spec, CancellationToken cancellationToken)
    {
        using var process = new System.Diagnostics.Process { StartInfo = StartInfoFor(spec, redirect: true) };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return new ProcessResult(127, "", $"cannot start {spec.FileName}: {e.Message}");
        }
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            throw;
        }
        return new ProcessResult(process.ExitCode, await stdout, await stderr);
    }

    public static ProcessStartInfo StartInfoFor(ProcessSpec spec, bool redirect)
    {
        var info = new ProcessStartInfo(spec.FileName)
        {
            UseShellExecute = false,
            RedirectStandardOutput = redirect,
            RedirectStandardError = redirect,
            RedirectStandardInput = redirect,
        };
        foreach (var arg in spec.Arguments) info.ArgumentList.Add(arg);
        if (spec.Environment is not null)
        {
            foreach (var (key, value) in spec.Environment) info.Environment[key] = value;
        }
        return info;
    }
}
