using System.Runtime.InteropServices;

namespace OmLifecycle.Process;

/// <summary>
/// The supervised OM process: started with the container's stdout, its stderr passed through line
/// by line (the head is kept: the first relevant line says why an OM exited, see OzoneStderr), sent
/// the signals the container receives, and waited on for its exit code.
/// </summary>
public sealed partial class ChildProcess : IDisposable
{
    private const int SigTerm = 15;
    /// <summary>Enough for Ozone's start-up lines before the error; the rest only goes to the container log.</summary>
    private const int KeptStderrLines = 200;
    private readonly System.Diagnostics.Process process;
    private readonly List<string> stderrHead = [];
    private readonly Task stderrPump;

    private ChildProcess(System.Diagnostics.Process process)
    {
        this.process = process;
        stderrPump = Task.Run(PumpStderrAsync);
    }

    public int Id => process.Id;

    public bool HasExited => process.HasExited;

    /// <summary>The first lines the OM wrote to stderr (all of them once <see cref="WaitForExitAsync"/> returned).</summary>
    public string StderrHead
    {
        get { lock (stderrHead) return string.Join('\n', stderrHead); }
    }

    public static ChildProcess Start(ProcessSpec spec)
    {
        var info = ProcessRunner.StartInfoFor(spec, redirect: false);
        info.RedirectStandardError = true;
        var process = new System.Diagnostics.Process { StartInfo = info };
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

    private async Task PumpStderrAsync()
    {
        var error = Console.Error;
        while (await process.StandardError.ReadLineAsync() is { } line)
        {
            await error.WriteLineAsync(line);
            lock (stderrHead) if (stderrHead.Count < KeptStderrLines) stderrHead.Add(line);
        }
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
        // A grandchild holding stderr open must not keep the exit from being reported.
        await Task.WhenAny(stderrPump, Task.Delay(TimeSpan.FromSeconds(2), cancellationToken));
        return process.ExitCode;
    }

    public void Dispose() => process.Dispose();

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
