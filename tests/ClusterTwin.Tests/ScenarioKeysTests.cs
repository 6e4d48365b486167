namespace ClusterTwin.Tests;

/// <summary>The scenario keys for Helm's --timeout and --atomic and the kill-pod modes, and their refusals.</summary>
public sealed class ScenarioKeysTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("twin-keys").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private Scenario Load(string step)
    {
        var path = Path.Combine(dir, "s.yaml");
        File.WriteAllText(path, $"name: s\nsteps:\n  - name: one\n{step}");
        return Scenario.Load(path);
    }

    [Theory]
    [InlineData("5m", 300)]
    [InlineData("90s", 90)]
    [InlineData("1m30s", 90)]
    [InlineData("1h", 3600)]
    public void Timeout_takes_the_durations_helm_takes(string text, int seconds)
    {
        Load($"    action: upgrade\n    timeout: {text}\n").Steps[0].HelmTimeout.Should().Be(TimeSpan.FromSeconds(seconds));
    }

    [Fact]
    public void Defaults_are_helms_five_minutes_no_atomic_and_a_graceful_delete()
    {
        var step = Load("    action: kill-pod\n    pod: ozone-om-1\n").Steps[0];

        step.HelmTimeout.Should().Be(TimeSpan.FromMinutes(5), "Helm's --timeout default is 5m0s");
        step.Atomic.Should().BeFalse();
        step.Mode.Should().Be("graceful", "kubectl delete pod is graceful, and real-cluster mode means the same");
        TwinClock.Of(step.HelmTimeout).Should().Be(TimeSpan.FromSeconds(30), "twin time is a tenth of real time");
    }

    // deleteVolumes: true and all mean every PVC of the release; a component name, only that component's.
    [Theory]
    [InlineData("true", "all", true, true)]
    [InlineData("all", "all", true, true)]
    [InlineData("scm", "scm", false, true)]
    [InlineData("om", "om", true, false)]
    [InlineData("false", null, false, false)]
    public void Delete_volumes_takes_all_or_one_component(string text, string? parsed, bool om, bool scm)
    {
        var step = Load($"    action: uninstall\n    deleteVolumes: {text}\n").Steps[0];

        step.DeleteVolumes.Should().Be(parsed);
        step.DeletesVolumesOf("om").Should().Be(om);
        step.DeletesVolumesOf("scm").Should().Be(scm);
    }

    [Fact]
    public void A_step_may_name_its_own_helm_and_expect_an_apply_method()
    {
        var step = Load("    action: upgrade\n    helm: helm4\n    expect:\n      applyMethod: csa\n").Steps[0];
        step.Helm.Should().Be("helm4");
        step.Expect.ApplyMethod.Should().Be("csa");
        Load("    action: upgrade\n").Steps[0].Helm.Should().BeNull("the run's Helm");

        var badHelm = () => Load("    action: upgrade\n    helm: helm2\n");
        badHelm.Should().Throw<FormatException>().WithMessage("*helm: 'helm2' must be helm3 or helm4*");
        var badMethod = () => Load("    action: upgrade\n    expect:\n      applyMethod: server\n");
        badMethod.Should().Throw<FormatException>().WithMessage("*applyMethod: 'server' must be ssa*csa*");
    }

    [Fact]
    public void A_step_settles_unless_it_says_settle_false()
    {
        Load("    action: install\n").Steps[0].Settle.Should().BeTrue("a step ends when the cluster has settled");
        Load("    action: install\n    settle: false\n").Steps[0].Settle.Should().BeFalse();
        var load = () => Load("    action: install\n    settle: no\n");
        load.Should().Throw<FormatException>().WithMessage("*settle: 'no' must be true or false*");
    }

    [Fact]
    public void Delete_volumes_of_an_unknown_component_is_refused_with_the_choices()
    {
        var load = () => Load("    action: uninstall\n    deleteVolumes: s3g\n");

        load.Should().Throw<FormatException>().WithMessage("*deleteVolumes: 's3g'*om, scm or datanode*");
    }

    [Fact]
    public void An_api_fault_step_becomes_a_fault_for_the_named_service_account_in_twin_time()
    {
        var step = Load("    action: api-fault\n    fault: \"503\"\n    caller: hooks\n    verb: update|create\n    resource: configmaps\n    for: 2m\n").Steps[0];
        var before = DateTimeOffset.UtcNow;

        var fault = step.ApiFault!.ToFault("default", "ozone-om");

        fault.Kind.Should().Be(FakeKubeApi.ApiFaultKind.Unavailable);
        fault.Expired(DateTimeOffset.UtcNow).Should().BeFalse("2m of real time is 12 s of twin time");
        fault.Until.Should().BeOnOrAfter(before + TimeSpan.FromSeconds(36)).And.BeCloseTo(before + TimeSpan.FromSeconds(36), TimeSpan.FromSeconds(5),
            "the window ends on the deadline clock, which stretches under CPU stall to three times 12 s at most");
        var update = FakeKubeApi.RequestAttributes.Parse("PUT", "/api/v1/namespaces/default/configmaps/ozone-om-ring");
        fault.Takes(update, "default:ozone-om", DateTimeOffset.UtcNow).Should().BeFalse("the OM pods are not the hooks");
        fault.Takes(FakeKubeApi.RequestAttributes.Parse("GET", "/api/v1/namespaces/default/configmaps/ozone-om-ring"), "default:ozone-om-lifecycle", DateTimeOffset.UtcNow).Should().BeFalse("reads are not faulted");
        fault.Takes(update, "default:ozone-om-lifecycle", DateTimeOffset.UtcNow).Should().BeTrue();
    }

    [Fact]
    public async Task An_api_fault_window_ends_when_its_twin_time_has_passed()
    {
        var step = Load("    action: api-fault\n    fault: \"503\"\n    for: 1s\n").Steps[0];

        var fault = step.ApiFault!.ToFault("default", "ozone-om");
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        // A clock reading long before any window end: only the twin's own End() makes the fault expire at it.
        while (!fault.Expired(DateTimeOffset.MinValue)) await Task.Delay(20, guard.Token);

        fault.Takes(FakeKubeApi.RequestAttributes.Parse("GET", "/api/v1/namespaces/default/configmaps/x"), null, DateTimeOffset.MinValue).Should().BeFalse();
    }

    [Theory]
    [InlineData("    action: upgrade\n    timeout: 5 minutes\n", "timeout: '5 minutes' is not a duration", "5m")]
    [InlineData("    action: upgrade\n    timeout: 0s\n", "timeout: '0s' is not a duration", "90s")]
    [InlineData("    action: kill-pod\n    pod: ozone-om-1\n    mode: sigkill\n", "mode: 'sigkill' is not a kill-pod mode", "crash")]
    [InlineData("    action: upgrade\n    atomic: yes please\n", "atomic: 'yes please' must be true or false", "true or false")]
    [InlineData("    action: kill-pod\n    pod: ozone-om-1\n    mode: node-loss\n    recreateAfter: soon\n", "recreateAfter: 'soon' is not a duration", "1m30s")]
    [InlineData("    action: api-fault\n    fault: 502\n    count: 1\n", "fault: '502' is not valid for an api-fault step", "429 (with Retry-After), 500, 503, hang")]
    [InlineData("    action: api-fault\n    fault: \"503\"\n", "count/for: '(neither)'", "count: N")]
    [InlineData("    action: api-fault\n    fault: hang\n    count: 0\n", "count: '0'", "1 or more")]
    [InlineData("    action: api-fault\n    fault: drop\n    for: a while\n", "for: 'a while'", "1m30s")]
    [InlineData("    action: api-fault\n    fault: \"429\"\n    count: 2\n    verb: put\n", "verb: 'put'", "update")]
    [InlineData("    action: api-fault\n    fault: \"429\"\n    count: 2\n    path: \"ring(\"\n", "path: 'ring('", "regular expression")]
    [InlineData("    action: upgrade\n    stallBootstrap: ozone-om-4\n", "stallBootstrap: must be a list", "[ozone-om-4]")]
    [InlineData("    action: upgrade\n    stallBootstrap: [om4]\n", "stallBootstrap: 'om4' is not an OM node id", "ozone-om-4")]
    [InlineData("    action: upgrade\n    isolate: ozone-om-4\n", "isolate: must be a list", "[] to lift it")]
    [InlineData("    action: upgrade\n    isolate: [leader]\n", "isolate: 'leader' is not an OM node id", "ozone-om-4")]
    public void Bad_values_are_refused_naming_the_step_the_field_and_the_fix(string step, string message, string fix)
    {
        var act = () => Load(step);

        act.Should().Throw<FormatException>().Which.Message.Should().Contain("step 'one'").And.Contain(message).And.Contain(fix);
    }

    [Fact]
    public void Isolate_is_absent_unless_given_and_an_empty_list_heals_the_partition()
    {
        Load("    action: upgrade\n").Steps[0].Isolate.Should().BeNull();
        Load("    action: upgrade\n    isolate: []\n").Steps[0].Isolate.Should().BeEmpty();
        Load("    action: upgrade\n    isolate: [ozone-om-4]\n").Steps[0].Isolate.Should().Equal("ozone-om-4");
    }

    [Fact]
    public void StallBootstrap_is_absent_unless_given_and_an_empty_list_lifts_it()
    {
        Load("    action: upgrade\n").Steps[0].StallBootstrap.Should().BeNull("a step without the key leaves the fault as it was");
        Load("    action: upgrade\n    stallBootstrap: []\n").Steps[0].StallBootstrap.Should().BeEmpty();
        Load("    action: upgrade\n    stallBootstrap: [ozone-om-4, my-rel-om-12]\n").Steps[0].StallBootstrap.Should().Equal("ozone-om-4", "my-rel-om-12");
    }
}
