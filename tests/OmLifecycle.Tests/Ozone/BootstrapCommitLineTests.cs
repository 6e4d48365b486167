using OmLifecycle.Ozone;

namespace OmLifecycle.Tests.Ozone;

/// <summary>
/// A joiner is confirmed only by Ozone's own line that its add committed
/// (tests/fixtures/ozone/console: OzoneManager#bootstrap, 2.0–2.2 and master).
/// </summary>
public sealed class BootstrapCommitLineTests
{
    private static string[] Fixture(string name) => File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "fixtures", "console", name));

    [Fact]
    public void The_committed_bootstrap_line_confirms_the_node_it_names()
    {
        Fixture("om-bootstrap-joined.txt").Should().ContainSingle(l => BootstrapCommitLine.ConfirmsJoin(l, "ozone-om-3"));
    }

    [Fact]
    public void A_joiner_that_is_only_staged_has_no_confirming_line()
    {
        Fixture("om-bootstrap-staged.txt").Should().NotContain(l => BootstrapCommitLine.ConfirmsJoin(l, "ozone-om-3"));
    }

    [Theory]
    [InlineData("ozone-om-1")]   // a prefix of the id in the line
    [InlineData("ozone-om-30")]  // the id in the line is a prefix of this one
    [InlineData("ozone-om-4")]
    public void The_line_of_another_node_confirms_nothing(string nodeId)
    {
        Fixture("om-bootstrap-joined.txt").Should().NotContain(l => BootstrapCommitLine.ConfirmsJoin(l, nodeId));
    }

    [Theory]
    [InlineData("2026-11-20 10:16:40,002 [main] ERROR om.OzoneManagerStarter: Failed to Bootstrap OM. Error Code: RATIS_BOOTSTRAP_ERROR")]
    [InlineData("2026-11-20 10:16:40,002 [main] INFO ratis.OzoneManagerRatisServer: ozone-om-0: Submitting SetConfiguration request to Ratis server to add new OM peer ozone-om-3|10.42.0.17:9872 to the Ratis group group-5C6E1A2B3F40")]
    public void Lines_about_an_add_that_did_not_commit_confirm_nothing(string line)
    {
        BootstrapCommitLine.ConfirmsJoin(line, "ozone-om-3").Should().BeFalse();
    }
}
