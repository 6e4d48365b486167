using FakeKubeApi;
using k8s.Models;

namespace Chart.Tests;

/// <summary>
/// Datanode size changes as `helm upgrade` sees them: lookup reads the live datanode StatefulSet
/// from a read-only fake API Server. Until datanodes are decommissioned by the chart, a shrink is
/// refused unless the user says they did it by hand (datanode.allowScaleDown).
/// </summary>
public sealed class DatanodeScaleTests() : LiveReleaseTests("datanodes")
{
    [Theory]
    [InlineData("helm3", 3, 4)]
    [InlineData("helm4", 3, 4)]
    [InlineData("helm3", 3, 6)]
    [InlineData("helm4", 3, 6)]
    public async Task Growing_the_datanodes_renders_the_new_size(string helm, int from, int to)
    {
        PreviousDatanodes(from);

        var result = await Helm.TemplateAsync(helm, Set(to), kubeconfig: Kubeconfig);

        result.ExitCode.Should().Be(0, result.Stderr);
        result.One<V1StatefulSet>("ozone-datanode").Spec.Replicas.Should().Be(to);
    }

    [Theory]
    [MemberData(nameof(Helms))]
    public async Task A_fresh_install_without_a_datanode_StatefulSet_refuses_no_size(string helm)
    {
        var result = await Helm.TemplateAsync(helm, Set(5), kubeconfig: Kubeconfig);

        result.ExitCode.Should().Be(0, result.Stderr);
        result.One<V1StatefulSet>("ozone-datanode").Spec.Replicas.Should().Be(5);
    }

    [Theory]
    [InlineData("helm3", 4, 3)]
    [InlineData("helm4", 4, 3)]
    [InlineData("helm3", 6, 3)]
    [InlineData("helm4", 6, 3)]
    public async Task Shrinking_the_datanodes_is_refused_saying_how_many_stop_why_and_what_to_do(string helm, int from, int to)
    {
        PreviousDatanodes(from);

        var result = await Helm.TemplateAsync(helm, Set(to), kubeconfig: Kubeconfig);

        result.ExitCode.Should().NotBe(0, "a shrink without decommission can lose data");
        result.Stderr.Should().Contain($"datanode.replicas goes from {from} to {to}")
            .And.Contain($"stops {from - to} datanode(s) at once")
            .And.Contain($"ozone-datanode-{from - 1}")
            .And.Contain("under-replicated")
            .And.Contain("ozone admin datanode decommission")
            .And.Contain("DECOMMISSIONED")
            .And.Contain("datanode.allowScaleDown=true");
    }

    [Theory]
    [MemberData(nameof(Helms))]
    public async Task Shrinking_with_allowScaleDown_renders_the_smaller_size_and_the_notes_ask_to_unset_it(string helm)
    {
        PreviousDatanodes(5);
        var set = Set(3, ("datanode.allowScaleDown", "true"));

        var result = await Helm.TemplateAsync(helm, set, kubeconfig: Kubeconfig);
        var install = await Helm.InstallDryRunAsync(helm, "server", Kubeconfig, set);

        result.ExitCode.Should().Be(0, result.Stderr);
        result.One<V1StatefulSet>("ozone-datanode").Spec.Replicas.Should().Be(3);
        install.ExitCode.Should().Be(0, install.Stderr);
        Helm.Notes(install).Should().Contain("2 datanode(s) stop: ozone-datanode-4, ozone-datanode-3")
            .And.Contain("datanode.allowScaleDown is true")
            .And.Contain("datanode.allowScaleDown=false");
    }

    [Theory]
    [MemberData(nameof(Helms))]
    public async Task With_lookup_empty_a_shrink_renders_and_the_notes_say_it_could_not_be_checked(string helm)
    {
        PreviousDatanodes(5);

        var result = await Helm.InstallDryRunAsync(helm, "client", Kubeconfig, Set(3));

        result.ExitCode.Should().Be(0, result.Stderr);
        Helm.Notes(result).Should().Contain("could not check a datanode shrink")
            .And.Contain("decommission");
    }

    [Theory]
    [MemberData(nameof(Helms))]
    public async Task Fewer_datanodes_than_the_replication_factor_are_refused_even_with_allowScaleDown(string helm)
    {
        var set = Set(2, ("datanode.allowScaleDown", "true"));

        var bySchema = await Helm.TemplateAsync(helm, set);
        var byTemplate = await Helm.TemplateAsync(helm, set, extra: "--skip-schema-validation");

        bySchema.ExitCode.Should().NotBe(0);
        bySchema.Stderr.Should().MatchRegex("datanode.*replicas.*3");
        byTemplate.ExitCode.Should().NotBe(0, "the template refuses it too, for renders that skip the schema");
        byTemplate.Stderr.Should().Contain("datanode.replicas is 2").And.Contain("at least 3 datanodes");
    }

    /// <summary>The live datanode StatefulSet of the release, owned by Helm as an installed release's is.</summary>
    private void PreviousDatanodes(int replicas) => LiveStatefulSet("ozone-datanode", replicas);

    private static Dictionary<string, string> Set(int datanodes, params (string Key, string Value)[] extra)
    {
        var set = new Dictionary<string, string> { ["datanode.replicas"] = datanodes.ToString() };
        foreach (var (k, v) in extra) set[k] = v;
        return set;
    }
}
