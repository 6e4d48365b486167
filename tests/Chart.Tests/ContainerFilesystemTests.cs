using k8s.Models;

namespace Chart.Tests;

/// <summary>
/// What the Ozone image needs to write with a read-only root filesystem. The image sets
/// OZONE_LOG_DIR=/var/log/hadoop (apache/ozone-docker-runner Dockerfile) and the `ozone` launcher
/// defaults OZONE_PID_DIR to /tmp; before any daemon (and its --init) it checks that both are
/// writable and exits 1 otherwise (hadoop-ozone/dist/src/shell/ozone/ozone-functions.sh,
/// ozone_verify_piddir and ozone_verify_logdir).
/// </summary>
public sealed class ContainerFilesystemTests
{
    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var helm in Helm.Versions)
        {
            data.Add(helm, "");
            data.Add(helm, "om.replicas=3,om.persistence.enabled=true,scm.replicas=3,scm.persistence.enabled=true,datanode.persistence.enabled=true,recon.enabled=true");
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Every_Ozone_container_sets_its_log_and_pid_dirs_on_writable_mounts(string helm, string set)
    {
        var result = await Helm.TemplateAsync(helm, RenderMatrixTests.Values(set));
        result.ExitCode.Should().Be(0, result.Stderr);

        var pods = result.All<V1StatefulSet>().Select(s => (s.Metadata.Name, s.Spec.Template.Spec, Claims: (s.Spec.VolumeClaimTemplates ?? []).Select(t => t.Metadata.Name).ToList()))
            .Concat(result.All<V1Job>().Select(j => (j.Metadata.Name, j.Spec.Template.Spec, Claims: new List<string>()))).ToList();
        var checkedContainers = new List<string>();
        foreach (var (podName, spec, claims) in pods)
        {
            foreach (var container in (spec.InitContainers ?? []).Concat(spec.Containers).Where(c => c.Image.StartsWith("apache/ozone:", StringComparison.Ordinal)))
            {
                var where = $"{podName}/{container.Name}";
                container.SecurityContext.ReadOnlyRootFilesystem.Should().BeTrue(where);
                foreach (var variable in new[] { "OZONE_LOG_DIR", "OZONE_PID_DIR" })
                {
                    var dir = container.Env?.SingleOrDefault(e => e.Name == variable)?.Value;
                    dir.Should().NotBeNullOrEmpty($"{where} sets {variable}: the image's default is on the read-only root filesystem");
                    var mount = (container.VolumeMounts ?? []).Where(m => dir == m.MountPath || dir!.StartsWith(m.MountPath.TrimEnd('/') + "/", StringComparison.Ordinal))
                        .OrderByDescending(m => m.MountPath.Length).FirstOrDefault();
                    mount.Should().NotBeNull($"{where}: {variable}={dir} is on a mount");
                    mount!.ReadOnlyProperty.Should().NotBe(true, $"{where}: {variable} is on a writable mount");
                    mount.SubPath.Should().BeNull($"{where}: {variable} is a directory mount, not a file");
                    var volume = spec.Volumes?.SingleOrDefault(v => v.Name == mount.Name);
                    (volume?.EmptyDir is not null || volume?.PersistentVolumeClaim is not null || (volume is null && claims.Contains(mount.Name)))
                        .Should().BeTrue($"{where}: {variable} is on an emptyDir or a persistent volume, not on '{mount.Name}'");
                }
                checkedContainers.Add(where);
            }
        }
        checkedContainers.Should().Contain(["ozone-om/om", "ozone-scm/scm", "ozone-datanode/datanode", "ozone-s3g/s3g"]);
        if (set.Contains("recon.enabled=true", StringComparison.Ordinal)) checkedContainers.Should().Contain(["ozone-recon/recon", "ozone-om-scale-in/transfer-leader", "ozone-om-scale-in/scale-in"]);
    }

    // hadoop-ozone/dist/src/main/dockerlibexec/entrypoint.sh: CONF_DESTINATION_DIR="${HADOOP_CONF_DIR:-/opt/hadoop/etc/hadoop}",
    // then envtoconf.py --destination "$CONF_DESTINATION_DIR" under set -e, before `exec "$@"`;
    // the apache/ozone-docker-runner Dockerfile does not set HADOOP_CONF_DIR.
    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Every_Ozone_container_has_the_entrypoints_conf_destination_on_a_writable_mount_and_reads_its_config_from_there(string helm, string set)
    {
        var result = await Helm.TemplateAsync(helm, RenderMatrixTests.Values(set));
        result.ExitCode.Should().Be(0, result.Stderr);

        var pods = result.All<V1StatefulSet>().Select(s => (s.Metadata.Name, s.Spec.Template.Spec, Claims: (s.Spec.VolumeClaimTemplates ?? []).Select(t => t.Metadata.Name).ToList()))
            .Concat(result.All<V1Job>().Select(j => (j.Metadata.Name, j.Spec.Template.Spec, Claims: new List<string>()))).ToList();
        var checkedContainers = new List<string>();
        foreach (var (podName, spec, claims) in pods)
        {
            foreach (var container in (spec.InitContainers ?? []).Concat(spec.Containers).Where(c => c.Image.StartsWith("apache/ozone:", StringComparison.Ordinal)))
            {
                var where = $"{podName}/{container.Name}";
                (container.Command ?? []).Should().BeEmpty($"{where} keeps the image's entrypoint");
                var dir = container.Env?.SingleOrDefault(e => e.Name == "HADOOP_CONF_DIR")?.Value is { Length: > 0 } value ? value : "/opt/hadoop/etc/hadoop";
                var mount = (container.VolumeMounts ?? []).Where(m => dir == m.MountPath || dir.StartsWith(m.MountPath.TrimEnd('/') + "/", StringComparison.Ordinal))
                    .OrderByDescending(m => m.MountPath.Length).FirstOrDefault();
                mount.Should().NotBeNull($"{where}: the entrypoint writes into HADOOP_CONF_DIR={dir}, which must be on a mount");
                mount!.ReadOnlyProperty.Should().NotBe(true, $"{where}: HADOOP_CONF_DIR is on a writable mount");
                mount.SubPath.Should().BeNull($"{where}: HADOOP_CONF_DIR is a directory mount");
                var volume = spec.Volumes?.SingleOrDefault(v => v.Name == mount.Name);
                (volume?.EmptyDir is not null || volume?.PersistentVolumeClaim is not null || (volume is null && claims.Contains(mount.Name)))
                    .Should().BeTrue($"{where}: HADOOP_CONF_DIR is on an emptyDir or a persistent volume, not on '{mount.Name}'");
                container.Env!.Single(e => e.Name == "OZONE_CONF_DIR").Value.Should().Be(dir, $"{where}: Ozone reads the ozone-site.xml the entrypoint writes");
                checkedContainers.Add(where);
            }
        }
        checkedContainers.Should().Contain(["ozone-om/om", "ozone-scm/scm", "ozone-datanode/datanode", "ozone-s3g/s3g"]);
        if (set.Contains("recon.enabled=true", StringComparison.Ordinal)) checkedContainers.Should().Contain(["ozone-recon/recon", "ozone-om-scale-in/transfer-leader", "ozone-om-scale-in/scale-in"]);
    }
}
