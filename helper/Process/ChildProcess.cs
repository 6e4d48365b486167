using System.Runtime.InteropServices;

namespace OmLifecycle.Process;

/// <summary>
/// The supervised OM process: its stdout and stderr passed through line by line (the stderr head is
/// kept: the first relevant line says why an OM exited, see OzoneStderr; both streams are watched for
/// one line, see <see cref="SawWatchedLine"/>), sent the signals the container receives, and waited on
/// for its exit code.
/// </summary>
public sealed partial class ChildProcess : IDisposable
{
    private const int SigTerm = 15;
    /// <summary>Enough for Ozone's start-up lines before the error; the rest only goes to the container log.</summary>
    private const int KeptStderrLines = 200;
    private readonly System.Diagnostics.Process process;
    private readonly List<string> stderrHead = [];
    private readonly Task stderrPump;
    private readonly Task stdoutPump;
    private readonly Func<string, bool>? watchFor;
    private volatile bool sawWatchedLine;

    private ChildProcess(System.Diagnostics.Process process, Func<string, bool>? watchFor)
    {
        this.process = process;
        this.watchFor = watchFor;
        stderrPump = Task.Run(PumpStderrAsync);
        stdoutPump = Task.Run(PumpStdoutAsync);
    }

    public int Id => process.Id;

    public bool HasExited => process.HasExited;

    /// <summary>The first lines the OM wrote to stderr (all of them once <see cref="WaitForExitAsync"/> returned).</summary>
    public string StderrHead
    {
        get { lock (stderrHead) return string.Join('\n', stderrHead); }
    }

    /// <summary>
    /// Whether any line so far, on stdout or stderr, matched the watch given to <see cref="Start"/>. Both:
    /// Ozone's own log4j.properties sends the console to stderr, the chart's default one (a ConsoleAppender
    /// with no Target, log4j 1.x default System.out) to stdout.
    /// </summary>
    public bool SawWatchedLine => sawWatchedLine;

    public static ChildProcess Start(ProcessSpec spec, Func<string, bool>? watchFor = null)
    {
        var info = ProcessRunner.StartInfoFor(spec, redirect: false);
        info.RedirectStandardError = true;
        info.RedirectStandardOutput = true;
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
        return new ChildProcess(process, watchFor);
    }

    private async Task PumpStderrAsync()
    {
        var error = Console.Error;
        while (await process.StandardError.ReadLineAsync() is { } line)
        {
            await error.WriteLineAsync(line);
            if (watchFor?.Invoke(line) == true) sawWatchedLine = true;
            lock (stderrHead) if (stderrHead.Count < KeptStderrLines) stderrHead.Add(line);
        }
    }

    /// <summary>Passes stdout through line by line, watching it too.</summary>
    private async Task PumpStdoutAsync()
    {
        var output = Console.Out;
        while (await process.StandardOutput.ReadLineAsync() is { } line)
        {
            await output.WriteLineAsync(line);
            if (watchFor?.Invoke(line) == true) sawWatchedLine = true;
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
        await Task.WhenAny(Task.WhenAll(stderrPump, stdoutPump), Task.Delay(TimeSpan.FromSeconds(2), cancellationToken));
        return process.ExitCode;
    }

    public void Dispose() => process.Dispose();

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
