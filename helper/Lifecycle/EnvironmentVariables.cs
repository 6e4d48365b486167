namespace OmLifecycle.Lifecycle;

/// <summary>
/// Every environment variable om-lifecycle reads, read only here. helper/README.md ("Environment")
/// lists the same names, and a test holds the two together.
/// </summary>
public static class EnvironmentVariables
{
    public const string PodName = "POD_NAME";
    public const string HostName = "HOSTNAME";
    public const string PodNamespace = "POD_NAMESPACE";
    public const string PodIp = "POD_IP";
    public const string OzoneConfDir = "OZONE_CONF_DIR";
    public const string OzoneBin = "OZONE_BIN";
    public const string Kubeconfig = "OM_LIFECYCLE_KUBECONFIG";
    public const string Membership = "OM_LIFECYCLE_MEMBERSHIP";
    public const string RunDir = "OM_LIFECYCLE_RUN_DIR";
    public const string PollMilliseconds = "OM_LIFECYCLE_POLL_MS";
    public const string Debug = "OM_LIFECYCLE_DEBUG";
    public const string SearchPath = "PATH";

    public static IReadOnlyList<string> All { get; } =
        [PodName, HostName, PodNamespace, PodIp, OzoneConfDir, OzoneBin, Kubeconfig, Membership, RunDir, PollMilliseconds, Debug, SearchPath];

    /// <summary>The variable's value; unset and empty are the same (Kubernetes renders an empty env entry as "").</summary>
    public static string? Read(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : null;
}
