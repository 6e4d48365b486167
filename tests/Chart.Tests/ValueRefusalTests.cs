using k8s.Models;

namespace Chart.Tests;

/// <summary>
/// Values that would render but fail on the cluster, or make a wipe dangerous, are refused by
/// `helm template` with a sentence that names the value and the fix, and nothing is rendered.
/// </summary>
public sealed class ValueRefusalTests
{
    public static TheoryData<string> Helms() => new(Helm.Versions);

    private static async Task<string> RefusedAsync(string helm, IDictionary<string, string> set, string release = "ozone", params string[] extra)
    {
        var result = await Helm.TemplateAsync(helm, set, release, extra: extra);
        result.ExitCode.Should().NotBe(0, $"these values must be refused, but rendered:\n{result.Stdout}");
        result.Stdout.Should().BeEmpty("a refusal renders nothing");
        return result.Stderr;
    }

    [Theory]
    [MemberData(nameof(Helms))]
    public async Task A_configuration_file_named_ozone_site_xml_is_refused(string helm)
    {
        // The entrypoint's envtoconf writes ozone-site.xml in $OZONE_CONF_DIR at every start; a ConfigMap
        // file mounted there by subPath is read-only, so the container would exit before Ozone starts.
        var stderr = await RefusedAsync(helm, new Dictionary<string, string> { ["configuration.files.ozone-site\\.xml"] = "<configuration/>" });

        stderr.Should().Contain("configuration.files has 'ozone-site.xml'").And.Contain("OZONE-SITE.XML_<key>");
    }

    [Theory]
    [MemberData(nameof(Helms))]
    public async Task A_configuration_file_that_env_variables_also_write_is_refused(string helm)
    {
        // envtoconf writes <name>.<ext> for every <NAME>.<EXT>_<key> variable (tests/ClusterTwin/Entrypoint.cs); log4j.properties is a default file here.
        var stderr = await RefusedAsync(helm, RenderMatrixTests.Values("datanode.env[0].name=LOG4J.PROPERTIES_log4j.rootLogger,datanode.env[0].value=WARN"));

        stderr.Should().Contain("configuration.files has 'log4j.properties'").And.Contain("LOG4J.PROPERTIES_<key>");
    }

    [Theory]
    [MemberData(nameof(Helms))]
    public async Task Env_variables_for_files_the_chart_does_not_mount_render(string helm)
    {
        var result = await Helm.TemplateAsync(helm, RenderMatrixTests.Values("env[0].name=CORE-SITE.XML_fs.trash.interval,env[0].value=60"));

        result.ExitCode.Should().Be(0, result.Stderr);
    }

    [Theory]
    [InlineData("helm3", "a-release-name-of-just-38-characters-x")]
    [InlineData("helm4", "a-release-name-of-just-38-characters-x")]
    public async Task A_release_name_whose_object_names_pass_63_characters_is_refused_with_the_fix(string helm, string release)
    {
        release.Length.Should().Be(38, "one more than the longest that fits: 37 + '-ozone' = 43");
        var stderr = await RefusedAsync(helm, new Dictionary<string, string>(), release);

        stderr.Should().Contain($"{release}-ozone-datanode").And.Contain("63").And.Contain("fullnameOverride").And.Contain("release name");
    }

    [Theory]
    [MemberData(nameof(Helms))]
    public async Task A_fullnameOverride_that_is_too_long_is_refused_and_one_that_fits_renders_names_Kubernetes_accepts(string helm)
    {
        var stderr = await RefusedAsync(helm, new Dictionary<string, string> { ["fullnameOverride"] = new string('f', 44) });
        stderr.Should().Contain("fullnameOverride").And.Contain("at most 43");

        var set = RenderMatrixTests.Values($"fullnameOverride={new string('f', 43)},recon.enabled=true,om.persistence.enabled=true,scm.persistence.enabled=true,datanode.persistence.enabled=true,om.replicas=5,scm.replicas=3");
        var result = await Helm.TemplateAsync(helm, set);
        result.ExitCode.Should().Be(0, result.Stderr);
        AssertNamesFit(result);
    }

    [Theory]
    [MemberData(nameof(Helms))]
    public async Task The_longest_release_name_that_fits_renders_names_Kubernetes_accepts(string helm)
    {
        var release = new string('r', 37);
        var result = await Helm.TemplateAsync(helm, RenderMatrixTests.Values("recon.enabled=true,om.persistence.enabled=true,scm.persistence.enabled=true,datanode.persistence.enabled=true"), release);

        result.ExitCode.Should().Be(0, result.Stderr);
        AssertNamesFit(result);
    }

    /// <summary>
    /// Kubernetes' limits: Service and Job names are DNS labels (63); a StatefulSet's pods carry the
    /// label controller-revision-hash=&lt;name&gt;-&lt;10-character hash&gt;, and label values stop at 63.
    /// </summary>
    private static void AssertNamesFit(Helm.Result result)
    {
        result.All<V1Service>().Should().OnlyContain(s => s.Metadata.Name.Length <= 63);
        result.All<V1Job>().Should().OnlyContain(j => j.Metadata.Name.Length <= 63);
        result.All<V1StatefulSet>().Should().OnlyContain(s => s.Metadata.Name.Length + 11 <= 63);
        foreach (var o in result.Objects.OfType<k8s.Models.IMetadata<V1ObjectMeta>>())
            (o.Metadata.Labels ?? new Dictionary<string, string>()).Values.Should().OnlyContain(v => v.Length <= 63, o.Metadata.Name);
    }

    [Theory]
    [MemberData(nameof(Helms))]
    public async Task An_upper_case_fullnameOverride_is_refused_as_a_name(string helm)
    {
        var stderr = await RefusedAsync(helm, new Dictionary<string, string> { ["fullnameOverride"] = "Ozone" }, "ozone", "--skip-schema-validation");

        stderr.Should().Contain("fullnameOverride 'Ozone'").And.Contain("lower-case");
    }

    /// <summary>Paths under which `om-lifecycle wipe` would delete what is not OM data (MembershipLimits.IsDataDirectory has the same rule).</summary>
    public static TheoryData<string, string> DangerousPaths()
    {
        var data = new TheoryData<string, string>();
        foreach (var helm in Helm.Versions)
            foreach (var path in new[] { "/", "//", "/.", "/data/..", "/data/../etc", "/data/", "/data//om", "/etc", "/etc/om", "/usr/local/om", "/var", "/tmp", "/opt", "/proc/1", "data" })
                data.Add(helm, path);
        return data;
    }

    [Theory]
    [MemberData(nameof(DangerousPaths))]
    public async Task A_dangerous_om_persistence_path_is_refused_by_the_schema(string helm, string path)
    {
        var stderr = await RefusedAsync(helm, new Dictionary<string, string> { ["om.persistence.path"] = path });

        stderr.Should().Contain("persistence").And.Contain("path");
    }

    [Theory]
    [MemberData(nameof(DangerousPaths))]
    public async Task A_dangerous_om_persistence_path_is_refused_by_the_template_with_the_fix(string helm, string path)
    {
        var stderr = await RefusedAsync(helm, new Dictionary<string, string> { ["om.persistence.path"] = path }, "ozone", "--skip-schema-validation");

        stderr.Should().Contain($"om.persistence.path '{path}'").And.Contain("e.g. /data");
    }

    [Theory]
    [InlineData("helm3", "om.env", "ozone.om.ratis.storage.dir", "/mnt/shared/ratis")]
    [InlineData("helm4", "env", "ozone.om.db.dirs", "/data")]
    [InlineData("helm3", "om.env", "ozone.om.ratis.snapshot.dir", "/data/../etc/snap")]
    [InlineData("helm4", "om.env", "ozone.om.db.dirs", "/data/a,/data/b")]
    [InlineData("helm3", "env", "ozone.om.ratis.snapshot.dir", "/database/snap")]
    public async Task An_OM_data_directory_outside_the_OM_volume_is_refused_naming_the_key_and_the_fix(string helm, string env, string key, string dir)
    {
        // wipe empties these dirs (helper/Volume/OmDataLocations.cs); outside om.persistence.path they are another volume or the root filesystem.
        var stderr = await RefusedAsync(helm, new Dictionary<string, string> { [$"{env}[0].name"] = $"OZONE-SITE.XML_{key}", [$"{env}[0].value"] = dir.Replace(",", "\\,") },
            "ozone", "--skip-schema-validation");

        stderr.Should().Contain($"env OZONE-SITE.XML_{key} is '{dir}'").And.Contain("inside the OM volume (om.persistence.path /data)").And.Contain("e.g. /data/om-");
    }

    [Theory]
    [InlineData("helm3", "ozone.om.ratis.storage.dir", "/data/om-ratis")]
    [InlineData("helm4", "ozone.om.ratis.snapshot.dir", "/data/metadata/om-ratis-snapshot")]
    public async Task An_OM_data_directory_inside_the_OM_volume_renders(string helm, string key, string dir)
    {
        var result = await Helm.TemplateAsync(helm, new Dictionary<string, string> { ["om.env[0].name"] = $"OZONE-SITE.XML_{key}", ["om.env[0].value"] = dir });

        result.ExitCode.Should().Be(0, result.Stderr);
    }

    [Theory]
    [InlineData("helm3", "/data")]
    [InlineData("helm4", "/var/lib/ozone-om")]
    [InlineData("helm3", "/srv/om")]
    public async Task An_ordinary_om_persistence_path_renders(string helm, string path)
    {
        var result = await Helm.TemplateAsync(helm, new Dictionary<string, string> { ["om.persistence.path"] = path });

        result.ExitCode.Should().Be(0, result.Stderr);
    }

    [Theory]
    [MemberData(nameof(Helms))]
    public async Task A_grace_period_shorter_than_the_preStop_hook_is_refused(string helm)
    {
        var stderr = await RefusedAsync(helm, RenderMatrixTests.Values("om.terminationGracePeriodSeconds=200,om.lifecycle.commandTimeout=120"));

        stderr.Should().Contain("om.terminationGracePeriodSeconds is 200").And.Contain("240").And.Contain("leave it empty");
    }

    /// <summary>Values that render but that Kubernetes or the image refuse at apply or pod start (issue 10, "Chart values that render but cannot work").</summary>
    public static TheoryData<string, string, string> ValuesThatCannotWork()
    {
        var data = new TheoryData<string, string, string>();
        var cases = new (string Set, string Named)[]
        {
            ("env[0].value=x", "env"),
            ("om.env[0].value=x", "om/env"),
            ("imagePullSecrets[0]=regcred", "imagePullSecrets"),
            ("image.repository=", "image/repository"),
            ("image.tag=a b", "image/tag"),
            ("helper.image.tag=x y", "helper/image/tag"),
            ("om.resources.requests.cpu=banana", "om/resources"),
            ("datanode.resources.limits.memory=lots", "datanode/resources"),
            ("clusterDomain=Bad_Domain", "clusterDomain"),
            ("om.terminationGracePeriodSeconds=-5", "om/terminationGracePeriodSeconds"),
        };
        foreach (var helm in Helm.Versions)
            foreach (var (set, named) in cases) data.Add(helm, set, named);
        return data;
    }

    [Theory]
    [MemberData(nameof(ValuesThatCannotWork))]
    public async Task A_value_that_cannot_work_on_the_cluster_is_refused_by_the_schema_naming_it(string helm, string set, string named)
    {
        var stderr = await RefusedAsync(helm, RenderMatrixTests.Values(set));

        // Helm 3 names a field with dots, Helm 4 with slashes.
        (stderr.Contains(named, StringComparison.Ordinal) || stderr.Contains(named.Replace('/', '.'), StringComparison.Ordinal)).Should().BeTrue(stderr);
    }

    [Theory]
    [MemberData(nameof(Helms))]
    public async Task OM_ports_that_collide_are_refused(string helm)
    {
        var stderr = await RefusedAsync(helm, RenderMatrixTests.Values("om.ports.ratis=9862"));

        stderr.Should().Contain("om.ports").And.Contain("9862").And.Contain("different");
    }

    [Theory]
    [MemberData(nameof(Helms))]
    public async Task Ordinary_resources_image_and_env_values_render(string helm)
    {
        var result = await Helm.TemplateAsync(helm, RenderMatrixTests.Values("om.resources.requests.cpu=500m,om.resources.requests.memory=1.5Gi,om.resources.limits.cpu=2,"
            + "image.repository=registry.example.com:5000/apache/ozone,image.tag=2.1.0-rc1,imagePullSecrets[0].name=regcred,env[0].name=A,env[0].value=b,clusterDomain=k8s.example.org"));

        result.ExitCode.Should().Be(0, result.Stderr);
    }

    [Theory]
    [MemberData(nameof(Helms))]
    public async Task An_OM_host_name_over_253_characters_is_refused(string helm)
    {
        // om-lifecycle refuses a hostPattern that gives a host over 253 characters (helper/Membership/Names.cs IsHost).
        var domain = string.Join('.', Enumerable.Repeat(new string('d', 55), 4)) + ".example";

        var stderr = await RefusedAsync(helm, RenderMatrixTests.Values($"clusterDomain={domain}"));

        stderr.Should().Contain("OM host names are too long").And.Contain("253").And.Contain("clusterDomain");
    }
}
