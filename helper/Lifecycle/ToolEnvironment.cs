namespace OmLifecycle.Lifecycle;

/// <summary>What om-lifecycle reads from its environment (helper/README.md, "Environment").</summary>
public sealed record ToolEnvironment(
    string? PodName,
    string? PodNamespace,
    string? PodIp,
    string OzoneConfDir,
    string OzoneBin,
    string? Kubeconfig,
    string MembershipPath)
{
    public string OzoneSitePath => Path.Combine(OzoneConfDir, "ozone-site.xml");

    public static ToolEnvironment FromProcess(string? membershipOption)
    {
        static string? Env(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } v ? v : null;
        return new ToolEnvironment(
            Env("POD_NAME") ?? Env("HOSTNAME"),
            Env("POD_NAMESPACE"),
            Env("POD_IP"),
            Env("OZONE_CONF_DIR") ?? "/etc/hadoop",
            Env("OZONE_BIN") ?? "ozone",
            Env("OM_LIFECYCLE_KUBECONFIG"),
            membershipOption ?? Env("OM_LIFECYCLE_MEMBERSHIP") ?? Membership.MembershipLoader.DefaultPath);
    }
}
