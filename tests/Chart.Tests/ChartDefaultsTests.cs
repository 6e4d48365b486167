using k8s.Models;

namespace Chart.Tests;

/// <summary>
/// What a default install gives without the user asking: OMs and SCMs spread over nodes and zones,
/// every component wired to Recon when it is on, datanodes known to SCM by host name, HTTP probes,
/// a grace period that outlasts the OM's preStop hook, and the user's env in the hook Jobs too.
/// </summary>
public sealed class ChartDefaultsTests
{
    public static TheoryData<string> Helms() => new(Helm.Versions);

    private static async Task<Helm.Result> RenderAsync(string helm, string set = "", params string[] extra)
    {
        var result = await Helm.TemplateAsync(helm, RenderMatrixTests.Values(set), extra: extra);
        result.ExitCode.Should().Be(0, result.Stderr);
        return result;
    }

    [Theory]
    [MemberData(nameof(Helms))]
    public async Task OMs_and_SCMs_prefer_distinct_nodes_and_spread_over_zones_by_default(string helm)
    {
        var result = await RenderAsync(helm);

        foreach (var component in new[] { "om", "scm" })
        {
            var pod = result.One<V1StatefulSet>($"ozone-{component}").Spec.Template.Spec;
            pod.Affinity.PodAntiAffinity.RequiredDuringSchedulingIgnoredDuringExecution.Should().BeNullOrEmpty("soft: a small cluster still schedules every pod");
            var term = pod.Affinity.PodAntiAffinity.PreferredDuringSchedulingIgnoredDuringExecution.Should().ContainSingle().Subject.PodAffinityTerm;
            term.TopologyKey.Should().Be("kubernetes.io/hostname");
            term.LabelSelector.MatchLabels.Should().Contain("app.kubernetes.io/component", component).And.Contain("app.kubernetes.io/instance", "ozone");

            var spread = pod.TopologySpreadConstraints.Should().ContainSingle().Subject;
            spread.TopologyKey.Should().Be("topology.kubernetes.io/zone");
            spread.WhenUnsatisfiable.Should().Be("ScheduleAnyway");
            spread.MaxSkew.Should().Be(1);
            spread.LabelSelector.MatchLabels.Should().Contain("app.kubernetes.io/component", component);
        }
    }

    [Theory]
    [MemberData(nameof(Helms))]
    public async Task The_scheduling_defaults_give_way_to_the_users_own(string helm)
    {
        var own = await RenderAsync(helm, "om.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight=1,"
            + "om.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].preference.matchExpressions[0].key=disk,"
            + "om.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].preference.matchExpressions[0].operator=Exists,"
            + "om.topologySpreadConstraints[0].maxSkew=2,om.topologySpreadConstraints[0].topologyKey=rack,om.topologySpreadConstraints[0].whenUnsatisfiable=DoNotSchedule,"
            + "scm.podAntiAffinityPreset=hard,scm.zoneSpreadPreset=");
        var om = own.One<V1StatefulSet>("ozone-om").Spec.Template.Spec;
        om.Affinity.PodAntiAffinity.Should().BeNull("a component's own affinity replaces the preset");
        om.Affinity.NodeAffinity.Should().NotBeNull();
        om.TopologySpreadConstraints.Should().ContainSingle().Which.TopologyKey.Should().Be("rack");
        var scm = own.One<V1StatefulSet>("ozone-scm").Spec.Template.Spec;
        scm.Affinity.PodAntiAffinity.RequiredDuringSchedulingIgnoredDuringExecution.Should().ContainSingle().Which.TopologyKey.Should().Be("kubernetes.io/hostname");
        scm.TopologySpreadConstraints.Should().BeNullOrEmpty();

        var none = await RenderAsync(helm, "om.podAntiAffinityPreset=,om.zoneSpreadPreset=,om.persistence.enabled=true,scm.persistence.enabled=true,datanode.persistence.enabled=true");
        none.One<V1StatefulSet>("ozone-om").Spec.Template.Spec.Affinity.Should().BeNull();
        none.One<V1StatefulSet>("ozone-om").Spec.Template.Spec.TopologySpreadConstraints.Should().BeNullOrEmpty();
    }

    [Theory]
    [MemberData(nameof(Helms))]
    public async Task Hook_Jobs_do_not_inherit_the_OM_anti_affinity(string helm)
    {
        var result = await RenderAsync(helm, "om.persistence.enabled=true,scm.persistence.enabled=true,datanode.persistence.enabled=true,om.podAntiAffinityPreset=hard");

        result.One<V1Job>("ozone-om-scale-in").Spec.Template.Spec.Affinity.Should().BeNull("a hook is one short pod; a hard preset would leave it unschedulable on a small cluster");
    }

    [Theory]
    [MemberData(nameof(Helms))]
    public async Task With_Recon_on_every_Ozone_component_knows_its_address_and_without_it_none_does(string helm)
    {
        var on = await RenderAsync(helm, "recon.enabled=true");
        var expected = "ozone-recon-0.ozone-recon-headless.default.svc.cluster.local:9891";
        foreach (var sts in on.All<V1StatefulSet>())
            sts.Spec.Template.Spec.Containers.Single().Env.Should().ContainSingle(e => e.Name == "OZONE-SITE.XML_ozone.recon.address")
                .Which.Value.Should().Be(expected, sts.Metadata.Name);

        var off = await RenderAsync(helm);
        off.All<V1StatefulSet>().SelectMany(s => s.Spec.Template.Spec.Containers.Single().Env).Should().NotContain(e => e.Name == "OZONE-SITE.XML_ozone.recon.address");
    }

    [Theory]
    [MemberData(nameof(Helms))]
    public async Task SCM_and_datanodes_use_datanode_host_names(string helm)
    {
        // SCM resolves a decommission argument by host name only with this key (SCMNodeManager's useHostname, Ozone 2.1.0); pod IPs change on restart.
        var result = await RenderAsync(helm);

        foreach (var name in new[] { "ozone-scm", "ozone-datanode", "ozone-om" })
            result.One<V1StatefulSet>(name).Spec.Template.Spec.Containers.Single().Env
                .Should().ContainSingle(e => e.Name == "OZONE-SITE.XML_hdds.datanode.use.datanode.hostname").Which.Value.Should().Be("true", name);
    }

    [Theory]
    [MemberData(nameof(Helms))]
    public async Task SCM_datanodes_S3G_and_Recon_are_probed_over_HTTP_on_their_web_port(string helm)
    {
        var result = await RenderAsync(helm, "recon.enabled=true");

        // The HTTP ports each BaseHttpServer binds (ozone.scm.http-address 9876, hdds.datanode.http-address 9882,
        // ozone.s3g.webadmin.http-address 19878, ozone.recon.http-address 9888); /jmx is HttpServer2's servlet on each.
        foreach (var (name, port) in new[] { ("ozone-scm", 9876), ("ozone-datanode", 9882), ("ozone-s3g", 19878), ("ozone-recon", 9888) })
        {
            var container = result.One<V1StatefulSet>(name).Spec.Template.Spec.Containers.Single();
            foreach (var (kind, probe) in new[] { ("startup", container.StartupProbe), ("liveness", container.LivenessProbe), ("readiness", container.ReadinessProbe) })
            {
                probe.Should().NotBeNull($"{name} has a {kind} probe");
                probe.HttpGet.Should().NotBeNull($"{name}'s {kind} probe asks the web server, not only the socket");
                probe.HttpGet.Path.Should().StartWith("/jmx");
                container.Ports.Should().ContainSingle(p => p.Name == probe.HttpGet.Port.Value).Which.ContainerPort.Should().Be(port, $"{name} {kind}");
            }
            container.LivenessProbe.FailureThreshold.Should().BeGreaterThan(1, "one slow answer does not restart a daemon");
        }
    }

    [Theory]
    [InlineData("helm3", "", 120)]
    [InlineData("helm4", "", 120)]
    [InlineData("helm3", "om.lifecycle.commandTimeout=600", 600)]
    [InlineData("helm4", "om.lifecycle.commandTimeout=30", 30)]
    public async Task The_OM_grace_period_outlasts_its_preStop_hook_by_default(string helm, string set, int commandTimeout)
    {
        var result = await RenderAsync(helm, set);

        // preStop (transfer-leader --away-from-self) makes one Ozone call and waits for the new leader, each up to timeouts.command.
        var grace = result.One<V1StatefulSet>("ozone-om").Spec.Template.Spec.TerminationGracePeriodSeconds;
        grace.Should().BeGreaterThan(2 * commandTimeout);
    }

    [Theory]
    [MemberData(nameof(Helms))]
    public async Task An_explicit_grace_period_long_enough_is_kept(string helm)
    {
        var result = await RenderAsync(helm, "om.terminationGracePeriodSeconds=900");

        result.One<V1StatefulSet>("ozone-om").Spec.Template.Spec.TerminationGracePeriodSeconds.Should().Be(900);
    }

    [Theory]
    [MemberData(nameof(Helms))]
    public async Task Hook_containers_get_the_users_env_and_envFrom(string helm)
    {
        var result = await RenderAsync(helm, "om.persistence.enabled=true,scm.persistence.enabled=true,datanode.persistence.enabled=true,env[0].name=SHARED_SETTING,env[0].value=a,om.env[0].name=OM_SETTING,om.env[0].value=b,"
            + "envFrom[0].configMapRef.name=shared-config,om.envFrom[0].secretRef.name=om-secret");

        var job = result.One<V1Job>("ozone-om-scale-in").Spec.Template.Spec;
        var ozoneContainers = job.InitContainers.Concat(job.Containers).Where(c => c.Image.StartsWith("apache/ozone:", StringComparison.Ordinal)).ToList();
        ozoneContainers.Select(c => c.Name).Should().BeEquivalentTo("transfer-leader", "scale-in");
        foreach (var container in ozoneContainers)
        {
            container.Env.Should().Contain(e => e.Name == "SHARED_SETTING" && e.Value == "a", container.Name);
            container.Env.Should().Contain(e => e.Name == "OM_SETTING" && e.Value == "b", container.Name);
            container.EnvFrom.Should().Contain(e => e.ConfigMapRef != null && e.ConfigMapRef.Name == "shared-config", container.Name);
            container.EnvFrom.Should().Contain(e => e.SecretRef != null && e.SecretRef.Name == "om-secret", container.Name);
        }
    }
}
