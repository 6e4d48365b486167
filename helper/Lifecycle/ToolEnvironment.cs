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
        static string? Env(string name) => EnvironmentVariables.Read(name);
        return new ToolEnvironment(
            Env(EnvironmentVariables.PodName) ?? Env(EnvironmentVariables.HostName),
            Env(EnvironmentVariables.PodNamespace),
            Env(EnvironmentVariables.PodIp),
            Env(EnvironmentVariables.OzoneConfDir) ?? "/etc/hadoop",
            Env(EnvironmentVariables.OzoneBin) ?? "ozone",
            Env(EnvironmentVariables.Kubeconfig),
            membershipOption ?? Env(EnvironmentVariables.Membership) ?? Membership.MembershipLoader.DefaultPath);
    }
}
