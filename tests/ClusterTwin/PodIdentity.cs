using k8s.Models;

namespace ClusterTwin;

/// <summary>
/// Who a container's processes run as. Kubernetes' securityContext: the container's runAsUser and
/// runAsGroup over the pod's; the pod's fsGroup and supplementalGroups as extra groups (CRI's
/// default SupplementalGroupsPolicy, Merge). Without a runAsUser the image's USER applies:
/// apache/ozone runs as hadoop, uid 1000 (apache/ozone-docker-runner's Dockerfile; its group
/// [inferred] 1000); any other image is taken to run as root.
/// </summary>
public sealed record PodIdentity(long Uid, long Gid, IReadOnlyList<long> Groups)
{
    /// <summary>Root, as the twin runs what no pod's user can be played for.</summary>
    public static readonly PodIdentity Root = new(0, 0, []);

    public static PodIdentity Of(V1PodSpec pod, V1Container container)
    {
        var ozoneImage = ContainerImage.OzoneRelease(container) is not null;
        var uid = container.SecurityContext?.RunAsUser ?? pod.SecurityContext?.RunAsUser ?? (ozoneImage ? 1000 : 0);
        var gid = container.SecurityContext?.RunAsGroup ?? pod.SecurityContext?.RunAsGroup ?? (ozoneImage ? 1000 : 0);
        var groups = new List<long>();
        if (pod.SecurityContext?.FsGroup is { } fsGroup) groups.Add(fsGroup);
        groups.AddRange((pod.SecurityContext?.SupplementalGroups ?? []).OfType<long>());
        return new PodIdentity(uid, gid, groups.Distinct().ToList());
    }

    /// <summary>The command as this identity runs it: through setpriv (util-linux), which sets the ids and execs it; as root, unchanged.</summary>
    public (string Exe, IReadOnlyList<string> Args) Wrap(string exe, IReadOnlyList<string> args)
    {
        if (Uid == 0) return (exe, args);
        var groups = Groups.Count > 0 ? (string[])["--groups", string.Join(',', Groups)] : ["--clear-groups"];
        return ("/usr/bin/setpriv", ["--reuid", Uid.ToString(System.Globalization.CultureInfo.InvariantCulture), "--regid", Gid.ToString(System.Globalization.CultureInfo.InvariantCulture), .. groups, "--", exe, .. args]);
    }
}
