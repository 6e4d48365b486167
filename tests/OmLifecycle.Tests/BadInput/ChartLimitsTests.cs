using System.Text.Json.Nodes;
using OmLifecycle.Membership;

namespace OmLifecycle.Tests.BadInput;

/// <summary>
/// The chart's values.schema.json and om-lifecycle's MembershipLimits bound the same values, so a
/// value the chart renders is never refused by om-lifecycle, and one it would refuse fails at render.
/// </summary>
public sealed class ChartLimitsTests
{
    private static readonly JsonNode Om = Schema()["properties"]!["om"]!["properties"]!;

    [Fact]
    public void The_chart_bounds_om_replicas_as_om_lifecycle_does()
    {
        ((int)Om["replicas"]!["minimum"]!).Should().Be(1);
        ((int)Om["replicas"]!["maximum"]!).Should().Be(MembershipLimits.MaxReplicas);
    }

    [Theory]
    [InlineData("bootstrapTimeout")]
    [InlineData("waitForTurnTimeout")]
    [InlineData("commandTimeout")]
    [InlineData("decommissionTimeout")]
    public void The_chart_bounds_each_lifecycle_timeout_as_om_lifecycle_does(string value)
    {
        var timeout = Om["lifecycle"]!["properties"]![value]!;
        ((int)timeout["minimum"]!).Should().Be(1);
        ((int)timeout["maximum"]!).Should().Be(MembershipLimits.MaxTimeoutSeconds);
    }

    private static JsonNode Schema()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var path = Path.Combine(dir.FullName, "charts", "ozone", "values.schema.json");
            if (File.Exists(path)) return JsonNode.Parse(File.ReadAllText(path))!;
        }
        throw new FileNotFoundException("charts/ozone/values.schema.json above the test assembly");
    }
}
