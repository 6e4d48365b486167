namespace OmLifecycle.Cli;

/// <summary>The documented exit codes of every om-lifecycle command (see helper/README.md).</summary>
public enum ExitCode
{
    Done = 0,
    Refused = 1,
    Usage = 2,
    DeadlinePassed = 3,
    OzoneFailed = 4,
}
