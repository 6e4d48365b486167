using System.Text.Json.Nodes;
using k8s.Models;

namespace ClusterTwin.Tests;

/// <summary>A container's persistent volumes are as large as their claims ask: the simulator checks free space against them.</summary>
public sealed class ClaimCapacityTests : IDisposable
{
    private readonly string work = Directory.CreateTempSubdirectory("twin-claims").FullName;

    public void Dispose() => Directory.Delete(work, recursive: true);

    [Fact]
    public void A_mounted_claim_is_declared_with_its_requested_storage_and_an_emptyDir_is_not()
    {
        using var cluster = new Cluster(work, "default");
        cluster.Put(JsonNode.Parse("""
            {"apiVersion":"v1","kind":"PersistentVolumeClaim","metadata":{"name":"data-ozone-om-0","namespace":"default"},
             "spec":{"accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"4Gi"}}}}
            """)!.AsObject());
        var runtime = new PodRuntime(cluster, "/bin/false", AppContext.BaseDirectory);
        var container = new V1Container
        {
            Name = "om", Image = "apache/ozone:2.1.0",
            VolumeMounts = [new V1VolumeMount { Name = "data", MountPath = "/data" }, new V1VolumeMount { Name = "logs", MountPath = "/var/log/hadoop" }],
        };
        var spec = new V1PodSpec { Containers = [container], Volumes = [new V1Volume { Name = "logs", EmptyDir = new V1EmptyDirVolumeSource() }] };
        var pod = runtime.Prepare("ozone-om-0", "127.0.0.1", spec, new Dictionary<string, string> { ["data"] = "data-ozone-om-0" });

        var declared = runtime.Environment(pod, container)[OzoneSimulator.BootstrapSpace.VolumesVariable];

        declared.Should().Be($"{cluster.PvcDir("data-ozone-om-0")}={4L << 30}");
    }
}
