using System.Text.Json.Nodes;
using k8s.Models;

namespace ClusterTwin.Tests;

/// <summary>
/// A pod's volumes as Kubernetes gives them: persistent volumes as large as their claims ask (the
/// simulator checks free space against them) and outliving the pod; emptyDirs new with each pod.
/// </summary>
public sealed class PodVolumesTests : IDisposable
{
    private readonly string work = TwinWorkDir.Create("twin-claims");

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

    // Kubernetes docs, "Volumes", emptyDir: created when the Pod is assigned to a node, deleted with the Pod.
    [Fact]
    public void A_new_pod_gets_empty_emptyDirs_and_the_same_claims()
    {
        using var cluster = new Cluster(work, "default");
        var runtime = new PodRuntime(cluster, "/bin/false", AppContext.BaseDirectory);
        var spec = new V1PodSpec
        {
            Containers = [new V1Container { Name = "om", Image = "apache/ozone:2.1.0" }],
            Volumes = [new V1Volume { Name = "scratch", EmptyDir = new V1EmptyDirVolumeSource() }],
        };
        var claims = new Dictionary<string, string> { ["data"] = "data-ozone-om-0" };
        var first = runtime.Prepare("ozone-om-0", "127.0.0.1", spec, claims);
        File.WriteAllText(Path.Combine(first.Volumes["scratch"], "left"), "x");
        File.WriteAllText(Path.Combine(first.Volumes["data"], "kept"), "x");

        var second = runtime.Prepare("ozone-om-0", "127.0.0.1", spec, claims);

        Directory.EnumerateFileSystemEntries(second.Volumes["scratch"]).Should().BeEmpty("the recreated pod has a new emptyDir");
        File.Exists(Path.Combine(second.Volumes["data"], "kept")).Should().BeTrue("a claim outlives its pod");
    }
}
