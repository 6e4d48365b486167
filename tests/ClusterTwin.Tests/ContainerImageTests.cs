using k8s.Models;

namespace ClusterTwin.Tests;

/// <summary>The simulator plays the Ozone release of the container's apache/ozone image tag.</summary>
public sealed class ContainerImageTests
{
    [Theory]
    [InlineData("apache/ozone:2.2.1", "2.2.1")]
    [InlineData("apache/ozone", "latest")] // Docker's default tag
    [InlineData("registry.local:5000/apache/ozone:2.0.0@sha256:0123abcd", "2.0.0")]
    [InlineData("registry.local:5000/apache/ozone@sha256:0123abcd", "latest")]
    [InlineData("ghcr.io/example/om-lifecycle:0.1.0", null)]
    [InlineData("apache/ozone-runner:20250101-1-jdk21", null)]
    public void The_release_is_the_tag_of_an_Ozone_image_only(string image, string? release) =>
        ContainerImage.OzoneRelease(new V1Container { Name = "c", Image = image }).Should().Be(release);

    [Fact]
    public void A_container_of_the_Ozone_image_tells_the_simulator_its_release_and_another_image_does_not()
    {
        var work = TwinWorkDir.Create("twin-image");
        try
        {
            using var cluster = new Cluster(work, "default");
            var runtime = new PodRuntime(cluster, "/bin/false", AppContext.BaseDirectory);
            var spec = new V1PodSpec { Containers = [new V1Container { Name = "om", Image = "apache/ozone:2.2.1" }, new V1Container { Name = "helper", Image = "ghcr.io/example/om-lifecycle:0.1.0" }] };
            var pod = runtime.Prepare("ozone-om-0", "127.0.0.1", spec, new Dictionary<string, string>());

            runtime.Environment(pod, spec.Containers[0]).Should().Contain(OzoneSimulator.OzoneVersion.Variable, "2.2.1");
            runtime.Environment(pod, spec.Containers[1]).Should().NotContainKey(OzoneSimulator.OzoneVersion.Variable);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }
}
