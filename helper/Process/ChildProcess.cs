using System.Runtime.InteropServices;

namespace OmLifecycle.Process;

/// <summary>
/// The supervised OM process: started with the container's stdout/stderr, sent the signals the
/// container receives, and waited on for its exit code.
/// </summary>
public sealed partial class ChildProcess : IDisposable
{
    private const int SigTerm = 15;
    private readonly System.Diagnostics.Process process;

    private ChildProcess(System.Diagnostics.Process process) => this.process = process;

    public int Id => process.Id;

    public bool HasExited => process.HasExited;

    public static ChildProcess Start(ProcessSpec spec)
    {
        var process = new System.Diagnostics.Process { StartInfo = ProcessRunner.StartInfoFor(spec, redirect: false) };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            process.Dispose();
            throw Cli.LifecycleException.Ozone($"Cannot start '{spec.FileName}' ({e.Message}). Check that the OM image has it on PATH (or set OZONE_BIN).");
        }
        return new ChildProcess(process);
    }

    /// <summary>Asks the child to stop the way Kubernetes asks a container: SIGTERM.</summary>
    public void Terminate()
    {
        if (!process.HasExited) _ = Kill(process.Id, SigTerm);
    }

    public void KillHard()
    {
        try { if (!process.HasExited) process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
    }

    public async Task<int> WaitForExitAsync(CancellationToken cancellationToken)
    {
        await process.WaitForExitAsync(cancellationToken);
        return process.ExitCode;
    }

    public void Dispose() => process.Dispose();

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
