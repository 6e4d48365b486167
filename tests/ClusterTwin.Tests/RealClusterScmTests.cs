namespace ClusterTwin.Tests;

/// <summary>Real-cluster mode reads `scmMembers` and `registeredDatanodes` from Ozone's own CLI answers (the fixtures).</summary>
public sealed class RealClusterScmTests
{
    private static string Fixture(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "fixtures", "admin", name));

    [Fact]
    public void The_scm_ring_is_the_pods_whose_hosts_key_the_roles_answer()
    {
        RealClusterScm.ScmMembers(Fixture("scm-roles-three.json")).Should().Equal("ozone-scm-0", "ozone-scm-1", "ozone-scm-2");
    }

    [Theory]
    [InlineData("datanode-list-2.1.json", 2)]
    [InlineData("datanode-list-2.0.json", 1)]
    public void Registered_datanodes_are_those_that_report_as_healthy_in_either_layout(string fixture, int expected)
    {
        RealClusterScm.RegisteredDatanodes(Fixture(fixture)).Should().Be(expected, "STALE and DEAD nodes stopped reporting");
    }

    [Theory]
    [InlineData("")]
    [InlineData("Transfer leadership successfully")]
    [InlineData("[1, 2]")]
    public void An_answer_of_another_shape_is_no_scm_ring(string answer)
    {
        RealClusterScm.ScmMembers(answer).Should().BeNull();
    }

    [Theory]
    [InlineData("")]
    [InlineData("{\"healthState\":\"HEALTHY\"}")]
    public void A_datanode_answer_of_another_shape_counts_nothing(string answer)
    {
        RealClusterScm.RegisteredDatanodes(answer).Should().BeNull();
    }

    [Fact]
    public void Both_are_asked_in_the_first_scm_pod_and_the_datanode_list_asks_for_all()
    {
        var commands = new RealClusterCommands("store", "storage", "/repo/charts/ozone");

        commands.ScmRoles().Should().Equal("--namespace", "storage", "exec", "store-ozone-scm-0", "-c", "scm", "--", "ozone", "admin", "scm", "roles", "--json");
        commands.DatanodeList().Should().Equal("--namespace", "storage", "exec", "store-ozone-scm-0", "-c", "scm", "--", "ozone", "admin", "datanode", "list", "--json", "--all");
        commands.DatanodeList(all: false).Should().EndWith(["list", "--json"]);
    }
}
