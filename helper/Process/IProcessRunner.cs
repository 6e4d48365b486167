namespace OmLifecycle.Process;

/// <summary>A command to run: executable and arguments as an array (never a shell line).</summary>
public sealed record ProcessSpec(string FileName, IReadOnlyList<string> Arguments, IReadOnlyDictionary<string, string>? Environment = null);

public sealed record ProcessResult(int ExitCode, string StandardOutput, string StandardError)
{
    /// <summary>The first line of stderr (Ozone's CLI puts its one-line reason there).</summary>
    public string FirstErrorLine => StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "";
}

/// <summary>Runs short-lived commands to completion; tests script results per attempt.</summary>
public interface IProcessRunner
{
    Task<ProcessResult> RunAsync(ProcessSpec spec, CancellationToken cancellationToken);
}
