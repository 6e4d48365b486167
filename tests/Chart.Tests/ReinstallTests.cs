using k8s.Models;
using YamlDotNet.RepresentationModel;

namespace Chart.Tests;

/// <summary>
/// `helm install` with a release name used before: `helm uninstall` kept the OM PVCs (as Kubernetes
/// keeps volumeClaimTemplates' PVCs), and they still hold the old ring (issue 9, point 3). lookup
/// finds them; the membership says how many, so an empty volume waits for the old ring and joins it
/// instead of starting a new one, and a size that would leave old voters out is refused.
/// </summary>
public sealed class ReinstallTests() : LiveReleaseTests("reinstall")
{
    private static Dictionary<string, string> Set(int replicas) => new()
    {
        ["om.replicas"] = replicas.ToString(),
        ["om.persistence.enabled"] = "true",
        ["scm.persistence.enabled"] = "true",
        ["datanode.persistence.enabled"] = "true",
    };

    private void KeptPvc(string name) =>
        Server.Store.Add($$$"""{"apiVersion":"v1","kind":"PersistentVolumeClaim","metadata":{"name":"{{{name}}}","namespace":"default"},"spec":{"accessModes":["ReadWriteOnce"]}}""");

    private void KeptOmVolumes(int count)
    {
        for (var i = 0; i < count; i++) KeptPvc($"data-ozone-om-{i}");
        // Volumes of other components and of another release are not the ring's.
        KeptPvc("data-ozone-scm-0");
        KeptPvc("data-ozone-datanode-0");
        KeptPvc("data-other-om-7");
    }

    [Theory]
    [InlineData("helm3", 3)]
    [InlineData("helm4", 3)]
    [InlineData("helm3", 5)]
    [InlineData("helm4", 5)]
    public async Task A_reinstall_onto_kept_volumes_tells_the_OMs_how_many_the_old_ring_left(string helm, int replicas)
    {
        KeptOmVolumes(3);

        var result = await Helm.TemplateAsync(helm, Set(replicas), kubeconfig: Kubeconfig);

        result.ExitCode.Should().Be(0, result.Stderr);
        RetainedVolumes(result).Should().Be("3");
    }

    [Theory]
    [MemberData(nameof(Helms))]
    public async Task A_first_install_has_no_retained_volumes(string helm)
    {
        var result = await Helm.TemplateAsync(helm, Set(3), kubeconfig: Kubeconfig);

        result.ExitCode.Should().Be(0, result.Stderr);
        RetainedVolumes(result).Should().Be("0");
    }

    [Theory]
    [MemberData(nameof(Helms))]
    public async Task An_upgrade_does_not_count_its_own_volumes_as_retained(string helm)
    {
        KeptOmVolumes(3);
        LiveStatefulSet("ozone-om", 3, volumeSize: "10Gi");

        var result = await Helm.TemplateAsync(helm, Set(3), kubeconfig: Kubeconfig);

        result.ExitCode.Should().Be(0, result.Stderr);
        RetainedVolumes(result).Should().Be("0");
    }

    [Theory]
    [MemberData(nameof(Helms))]
    public async Task A_reinstall_smaller_than_the_kept_volumes_is_refused_naming_them_and_both_fixes(string helm)
    {
        KeptOmVolumes(3);

        var result = await Helm.TemplateAsync(helm, Set(1), kubeconfig: Kubeconfig);

        result.ExitCode.Should().NotBe(0, "the old ring's configuration may need the OMs left out for a majority");
        result.Stderr.Should().Contain("om.replicas is 1").And.Contain("data-ozone-om-1, data-ozone-om-2")
            .And.Contain("om.replicas=3").And.Contain("kubectl -n default delete pvc -l app.kubernetes.io/instance=ozone")
            .And.NotContain("data-ozone-scm-0").And.NotContain("data-other-om-7");
    }

    private static string RetainedVolumes(Helm.Result result)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(result.One<V1ConfigMap>("ozone-om-membership").Data["membership.yaml"]));
        var doc = (YamlMappingNode)stream.Documents[0].RootNode;
        return doc.Children.TryGetValue(new YamlScalarNode("retainedVolumes"), out var v) ? ((YamlScalarNode)v).Value! : "absent";
    }
}
