namespace OmLifecycle.Cli;

/// <summary>
/// The one user-facing failure: a sentence for the person (what was checked, what was found,
/// what to do) and the exit code. Caught at the command boundary; never shown as a stack trace.
/// </summary>
public sealed class LifecycleException(ExitCode code, string message) : Exception(message)
{
    public ExitCode Code { get; } = code;

    public static LifecycleException Refused(string message) => new(ExitCode.Refused, message);

    public static LifecycleException Deadline(string message) => new(ExitCode.DeadlinePassed, message);

    public static LifecycleException Ozone(string message) => new(ExitCode.OzoneFailed, message);

    public static LifecycleException Kubernetes(string message) => new(ExitCode.KubernetesFailed, message);
}
