using k8s.Models;

namespace Chart.Tests;

/// <summary>The chart across a value matrix, under Helm 3.18.0 and 4.1.4, without a cluster.</summary>
public sealed class RenderMatrixTests
{
    public static TheoryData<string, string, string, string> Matrix()
    {
        var data = new TheoryData<string, string, string, string>();
        var cases = new (string Name, string Set, string Release, string Ns)[]
        {
            ("defaults", "", "ozone", "default"),
            ("one OM", "om.replicas=1,om.persistence.enabled=true,scm.persistence.enabled=true,datanode.persistence.enabled=true", "ozone", "default"),
            ("three OMs", "om.replicas=3,om.persistence.enabled=true,scm.persistence.enabled=true,datanode.persistence.enabled=true", "ozone", "default"),
            ("five OMs", "om.replicas=5,om.persistence.enabled=true,scm.persistence.enabled=true,datanode.persistence.enabled=true", "ozone", "default"),
            ("seven OMs", "om.replicas=7,om.persistence.enabled=true,scm.persistence.enabled=true,datanode.persistence.enabled=true", "ozone", "default"),
            ("SCM HA", "scm.replicas=3,om.persistence.enabled=true,scm.persistence.enabled=true,datanode.persistence.enabled=true", "ozone", "default"),
            ("Recon", "recon.enabled=true", "ozone", "default"),
            ("custom release and namespace", "om.persistence.enabled=true,scm.persistence.enabled=true,datanode.persistence.enabled=true", "store-prod", "storage"),
            ("explicit cluster id", "clusterId=ring-a,om.persistence.enabled=true,scm.persistence.enabled=true,datanode.persistence.enabled=true", "my-ozone", "data"),
        };
        foreach (var helm in Helm.Versions)
            foreach (var c in cases) data.Add(helm, c.Name, c.Set, $"{c.Release}/{c.Ns}");
        return data;
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task Every_rendered_document_decodes_strictly_and_passes_yamllint(string helm, string name, string set, string releaseAndNs)
    {
        var (release, ns) = (releaseAndNs.Split('/')[0], releaseAndNs.Split('/')[1]);

        var result = await Helm.TemplateAsync(helm, Values(set), release, ns);

        result.ExitCode.Should().Be(0, $"{name}: {result.Stderr}");
        var objects = result.Objects;
        objects.Should().NotBeEmpty();
        objects.Should().AllSatisfy(o => o.Should().NotBeOfType<object>("every document maps to a Kubernetes model"));
        (await YamlLint.RunAsync(result.Stdout)).Should().BeEmpty($"{name} renders clean YAML");
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task Every_pod_runs_as_non_root_without_privilege_escalation_or_capabilities(string helm, string name, string set, string releaseAndNs)
    {
        var (release, ns) = (releaseAndNs.Split('/')[0], releaseAndNs.Split('/')[1]);
        var result = await Helm.TemplateAsync(helm, Values(set), release, ns);

        var pods = result.All<V1StatefulSet>().Select(s => (s.Metadata.Name, s.Spec.Template.Spec))
            .Concat(result.All<V1Job>().Select(j => (j.Metadata.Name, j.Spec.Template.Spec))).ToList();

        pods.Should().NotBeEmpty();
        foreach (var (podName, spec) in pods)
        {
            spec.SecurityContext.RunAsNonRoot.Should().BeTrue($"{name}: {podName}");
            spec.SecurityContext.RunAsUser.Should().Be(1000);
            spec.SecurityContext.SeccompProfile.Type.Should().Be("RuntimeDefault");
            foreach (var container in spec.Containers.Concat(spec.InitContainers ?? []))
            {
                container.SecurityContext.AllowPrivilegeEscalation.Should().BeFalse($"{podName}/{container.Name}");
                container.SecurityContext.Capabilities.Drop.Should().Equal("ALL");
                container.SecurityContext.ReadOnlyRootFilesystem.Should().BeTrue();
            }
        }
    }

    [Theory]
    [InlineData("helm3")]
    [InlineData("helm4")]
    public async Task Helm_lint_strict_passes_with_defaults_and_with_persistence(string helm)
    {
        foreach (var set in new[] { "", "om.persistence.enabled=true,scm.persistence.enabled=true,datanode.persistence.enabled=true,om.replicas=5,recon.enabled=true,scm.replicas=3" })
        {
            var args = new List<string> { "lint", "--strict", Helm.ChartDir };
            foreach (var kv in Values(set)) args.AddRange(["--set", $"{kv.Key}={kv.Value}"]);
            var result = await Helm.RunAsync(Path.Combine(Helm.ToolsDir, helm), args);
            result.ExitCode.Should().Be(0, result.Stdout + result.Stderr);
        }
    }

    [Fact]
    public async Task The_OM_ring_has_a_parallel_statefulset_a_headless_service_publishing_unready_pods_and_a_quorum_pdb()
    {
        var result = await Helm.TemplateAsync("helm4", Values("om.replicas=5,om.persistence.enabled=true,scm.persistence.enabled=true,datanode.persistence.enabled=true"));

        var sts = result.One<V1StatefulSet>("ozone-om");
        sts.Spec.PodManagementPolicy.Should().Be("Parallel");
        sts.Spec.Replicas.Should().Be(5);
        sts.Spec.VolumeClaimTemplates.Single().Metadata.Name.Should().Be("data");
        var om = sts.Spec.Template.Spec.Containers.Single();
        om.Args.Should().Equal("/opt/om-lifecycle/om-lifecycle", "start", "--", "ozone", "om");
        om.Command.Should().BeNull("the image's entrypoint is kept");
        om.Env.Should().NotContain(e => e.Name == "ENSURE_OM_INITIALIZED", "om-lifecycle decides about --init");
        om.StartupProbe.Exec.Command.Should().Equal("/opt/om-lifecycle/om-lifecycle", "probe", "started");
        om.ReadinessProbe.Exec.Command.Should().Equal("/opt/om-lifecycle/om-lifecycle", "probe", "ready");
        om.Lifecycle.PreStop.Exec.Command.Should().Equal("/opt/om-lifecycle/om-lifecycle", "transfer-leader", "--away-from-self");
        om.VolumeMounts.Should().Contain(m => m.Name == "membership" && m.MountPath == "/etc/om-lifecycle" && m.SubPath == null);
        sts.Spec.Template.Spec.InitContainers.Single().Args.Should().Equal("install", "--to", "/opt/om-lifecycle");

        var headless = result.One<V1Service>("ozone-om-headless");
        headless.Spec.ClusterIP.Should().Be("None");
        headless.Spec.PublishNotReadyAddresses.Should().BeTrue();
        result.One<V1PodDisruptionBudget>("ozone-om").Spec.MaxUnavailable.Value.Should().Be("2");
    }

    [Fact]
    public async Task The_OM_role_grants_only_the_verbs_om_lifecycle_uses()
    {
        var result = await Helm.TemplateAsync("helm4", Values("om.persistence.enabled=true,scm.persistence.enabled=true,datanode.persistence.enabled=true"));

        var om = result.One<V1Role>("ozone-om");
        om.Rules.SelectMany(r => r.Verbs).Should().OnlyContain(v => v == "get" || v == "update" || v == "create");
        om.Rules.Should().NotContain(r => r.Resources.Contains("secrets") || r.Verbs.Contains("delete") || r.Verbs.Contains("*"));
        var hooks = result.One<V1Role>("ozone-om-lifecycle");
        hooks.Rules.Should().ContainSingle(r => r.Resources.Contains("statefulsets/scale"))
            .Which.Verbs.Should().BeEquivalentTo("get", "patch");
        hooks.Rules.Single(r => r.Resources.Contains("statefulsets/scale")).ResourceNames.Should().Equal("ozone-om");
        // The StatefulSet itself only to drop om-lifecycle's managedFields entry, and only the OM one.
        hooks.Rules.Should().ContainSingle(r => r.Resources.Contains("statefulsets"))
            .Which.ResourceNames.Should().Equal("ozone-om");
        hooks.Rules.Single(r => r.Resources.Contains("statefulsets")).Verbs.Should().BeEquivalentTo("get", "patch");
        hooks.Rules.Should().NotContain(r => r.Verbs.Contains("*") || r.Verbs.Contains("update") && r.Resources.Contains("statefulsets"));
        // Events are written, never read or changed.
        foreach (var role in new[] { om, hooks })
            role.Rules.Should().ContainSingle(r => r.Resources.Contains("events")).Which.Verbs.Should().Equal("create");
    }

    public static Dictionary<string, string> Values(string set) =>
        set.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(kv => kv.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
}
