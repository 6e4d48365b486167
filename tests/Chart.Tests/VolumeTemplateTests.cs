namespace Chart.Tests;

/// <summary>
/// Kubernetes forbids changing a StatefulSet's volumeClaimTemplates (v1.35
/// ValidateStatefulSetUpdate), so the chart refuses such an upgrade at render, from the live objects,
/// naming the value to keep, instead of letting it fail half-applied.
/// </summary>
public sealed class VolumeTemplateTests() : LiveReleaseTests("volume-templates")
{
    private static Dictionary<string, string> Persistent(params (string Key, string Value)[] extra)
    {
        var set = new Dictionary<string, string> { ["om.replicas"] = "3", ["om.persistence.enabled"] = "true" };
        foreach (var (k, v) in extra) set[k] = v;
        return set;
    }

    private void InstalledWithVolumes(string size = "10Gi", string? storageClassName = null)
    {
        foreach (var name in new[] { "ozone-om", "ozone-scm", "ozone-datanode" })
            LiveStatefulSet(name, 3, volumeSize: size, storageClassName: storageClassName);
    }

    [Theory]
    [MemberData(nameof(Helms))]
    public async Task The_same_volumes_render_and_an_equal_size_written_otherwise_too(string helm)
    {
        InstalledWithVolumes();

        (await Helm.TemplateAsync(helm, Persistent(), kubeconfig: Kubeconfig)).ExitCode.Should().Be(0);
        var spelledInMi = await Helm.TemplateAsync(helm, Persistent(("om.persistence.size", "10240Mi")), kubeconfig: Kubeconfig);
        spelledInMi.ExitCode.Should().Be(0, spelledInMi.Stderr);
    }

    [Theory]
    [MemberData(nameof(Helms))]
    public async Task A_new_size_is_refused_naming_the_value_to_keep_and_how_to_grow_the_volumes(string helm)
    {
        InstalledWithVolumes();

        var result = await Helm.TemplateAsync(helm, Persistent(("om.persistence.size", "20Gi")), kubeconfig: Kubeconfig);

        result.ExitCode.Should().NotBe(0);
        result.Stderr.Should().Contain("om.persistence.size is 20Gi, but the live StatefulSet ozone-om asks 10Gi for each volume")
            .And.Contain("Keep om.persistence.size at 10Gi").And.Contain("patch pvc data-ozone-om-<n>")
            .And.NotContain("scm.persistence.size", "the SCM's volumes did not change");
    }

    [Theory]
    [MemberData(nameof(Helms))]
    public async Task A_new_storage_class_or_access_mode_is_refused(string helm)
    {
        InstalledWithVolumes(storageClassName: "fast");

        var result = await Helm.TemplateAsync(helm, Persistent(("datanode.persistence.accessModes[0]", "ReadWriteOncePod")), kubeconfig: Kubeconfig);

        result.ExitCode.Should().NotBe(0);
        result.Stderr.Should().Contain("om.persistence.storageClassName is '', but the live StatefulSet ozone-om asks 'fast'")
            .And.Contain("datanode.persistence.accessModes is [\"ReadWriteOncePod\"], but the live StatefulSet ozone-datanode asks [\"ReadWriteOnce\"]");
    }

    [Theory]
    [MemberData(nameof(Helms))]
    public async Task Persistence_turned_on_after_an_install_without_it_is_refused_naming_the_way_out(string helm)
    {
        foreach (var name in new[] { "ozone-om", "ozone-scm", "ozone-datanode" }) LiveStatefulSet(name, 3);

        var result = await Helm.TemplateAsync(helm, Persistent(), kubeconfig: Kubeconfig);

        result.ExitCode.Should().NotBe(0);
        result.Stderr.Should().Contain("om.persistence.enabled is true, but the live StatefulSet ozone-om was installed without volumes")
            .And.Contain("uninstall and install again");
    }

    [Theory]
    [MemberData(nameof(Helms))]
    public async Task Persistence_turned_off_on_a_cluster_with_volumes_is_refused(string helm)
    {
        InstalledWithVolumes();

        var result = await Helm.TemplateAsync(helm, new Dictionary<string, string> { ["om.replicas"] = "3" }, kubeconfig: Kubeconfig);

        result.ExitCode.Should().NotBe(0);
        result.Stderr.Should().Contain("om.persistence.enabled is false, but the live StatefulSet ozone-om keeps its data on volumes");
    }

    [Fact]
    public async Task Without_lookup_nothing_is_compared()
    {
        var result = await Helm.TemplateAsync("helm4", Persistent(("om.persistence.size", "20Gi")));

        result.ExitCode.Should().Be(0, result.Stderr);
    }
}
