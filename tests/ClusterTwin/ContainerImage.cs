using k8s.Models;

namespace ClusterTwin;

/// <summary>
/// What a container of the Ozone image brings besides its command: the image's environment and
/// which of its paths it can write. The pod spec's env overrides the image's ENV, as in Kubernetes.
/// </summary>
public static class ContainerImage
{
    /// <summary>
    /// The ENV lines of apache/ozone-docker-runner's Dockerfile (the base of apache/ozone):
    /// `ENV OZONE_LOG_DIR=/var/log/hadoop` and `ENV OZONE_CONF_DIR=/etc/hadoop`. OZONE_PID_DIR is not
    /// set there, so the launcher's default applies (ozone-functions.sh: `${OZONE_PID_DIR:-/tmp}`).
    /// </summary>
    public static readonly IReadOnlyList<KeyValuePair<string, string>> Environment =
    [
        new("OZONE_LOG_DIR", "/var/log/hadoop"),
        new("OZONE_CONF_DIR", "/etc/hadoop"),
    ];

    /// <summary>
    /// A container of the Ozone image (the chart's image.repository, apache/ozone by default; the
    /// helper image is another repository) whose command is not overridden, so the image's
    /// ENTRYPOINT runs before its args (Kubernetes: `command` replaces ENTRYPOINT, `args` only CMD).
    /// </summary>
    public static bool RunsOzoneEntrypoint(V1Container container) =>
        (container.Command is null || container.Command.Count == 0) && Repository(container.Image) is { } repo && repo.Split('/')[^1] == "ozone";

    /// <summary>
    /// The Ozone release a container of the Ozone image runs, for the simulator to play
    /// (OzoneSimulator.OzoneVersion): the image's tag, `latest` when it has none (Docker's default);
    /// null for any other image. A tag the simulator does not know makes every `ozone` call fail loudly.
    /// </summary>
    public static string? OzoneRelease(V1Container container)
    {
        if (container.Image is not { } image || Repository(image) is not { } repo || repo.Split('/')[^1] != "ozone") return null;
        var withoutDigest = image.Split('@')[0];
        return withoutDigest.Length > repo.Length + 1 ? withoutDigest[(repo.Length + 1)..] : "latest";
    }

    /// <summary>The image reference without its tag and digest (`repo[:tag][@digest]`).</summary>
    private static string? Repository(string? image) =>
        image?.Split('@')[0] is not { } name ? null : name.LastIndexOf(':') is var colon && colon > name.LastIndexOf('/') ? name[..colon] : name;

    /// <summary>
    /// The mounts a container can write, as `containerPath=hostPath`, for the simulator's launcher check: with
    /// readOnlyRootFilesystem only its mounts of emptyDir or persistent volumes that are not
    /// readOnly (ConfigMap, Secret, downward API and projected volumes are always read-only; a
    /// subPath mount is not mapped by the twin, so it counts as not writable); without it, "/" too.
    /// </summary>
    public static IReadOnlyList<string> WritableDirs(PodRuntime.PodSandbox pod, V1Container container)
    {
        var volumes = (pod.Spec.Volumes ?? []).ToDictionary(v => v.Name);
        var dirs = new List<string>();
        foreach (var mount in container.VolumeMounts ?? [])
        {
            if (mount.ReadOnlyProperty == true || mount.SubPath is not null) continue;
            if (!pod.Volumes.TryGetValue(mount.Name, out var host)) continue;
            // A name with no volume in the spec is a volumeClaimTemplate's claim.
            var writable = !volumes.TryGetValue(mount.Name, out var volume) || volume.EmptyDir is not null || volume.PersistentVolumeClaim is not null || volume.Ephemeral is not null;
            if (writable) dirs.Add($"{mount.MountPath}={host}");
        }
        if (container.SecurityContext?.ReadOnlyRootFilesystem != true) dirs.Add("/");
        return dirs;
    }
}
