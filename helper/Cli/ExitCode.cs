namespace OmLifecycle.Cli;

/// <summary>The documented exit codes of every om-lifecycle command (see helper/README.md).</summary>
public enum ExitCode
{
    Done = 0,
    Refused = 1,
    Usage = 2,
    DeadlinePassed = 3,
    OzoneFailed = 4,

    /// <summary>The Kubernetes API could not be reached or answered something that is not the Kubernetes API.</summary>
    KubernetesFailed = 5,

    /// <summary>A fault in om-lifecycle itself (sysexits' EX_SOFTWARE): never a refusal, always worth a report.</summary>
    InternalError = 70,
}
