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

    /// <summary>
    /// om.persistence.path becomes paths.metadataDir as "&lt;path&gt;/metadata"; every path the schema
    /// accepts must give a metadataDir om-lifecycle accepts (the chart may refuse more, never less).
    /// </summary>
    [Theory]
    [InlineData("/", false)]
    [InlineData("//", false)]
    [InlineData("/.", false)]
    [InlineData("/..", false)]
    [InlineData("/data/", false)]
    [InlineData("/data/.", false)]
    [InlineData("/data/../etc", false)]
    [InlineData("/data//om", false)]
    [InlineData("/etc", false)]
    [InlineData("/etc/om", false)]
    [InlineData("/usr/local/om", false)]
    [InlineData("/proc/1", false)]
    [InlineData("/var", false)]
    [InlineData("/tmp", false)]
    [InlineData("/opt", false)]
    [InlineData("/home", false)]
    [InlineData("data", false)]
    [InlineData("/data\nx", false)]
    [InlineData("/data", true)]
    [InlineData("/srv/om", true)]
    [InlineData("/var/lib/ozone-om", true)]
    [InlineData("/.hidden", true)]
    [InlineData("/..x", true)]
    [InlineData("/mnt/disk1/om", true)]
    public void The_chart_accepts_an_om_persistence_path_only_when_om_lifecycle_accepts_its_metadata_dir(string path, bool safe)
    {
        path = path.Replace("\\n", "\n", StringComparison.Ordinal);
        var schema = Om["persistence"]!["properties"]!["path"]!;

        var chartAccepts = SchemaAccepts(schema, path);
        var toolAccepts = MembershipLimits.IsDataDirectory(path + "/metadata");

        chartAccepts.Should().Be(safe, $"the schema's verdict on '{path}'");
        if (chartAccepts) toolAccepts.Should().BeTrue($"om-lifecycle must accept the metadataDir the chart renders for '{path}'");
    }

    /// <summary>The few JSON Schema keywords the path schema uses: pattern, maxLength, and not/anyOf of pattern or enum.</summary>
    private static bool SchemaAccepts(JsonNode schema, string value)
    {
        if (schema["maxLength"] is { } max && value.Length > (int)max) return false;
        if (schema["pattern"] is { } pattern && !System.Text.RegularExpressions.Regex.IsMatch(value, (string)pattern!)) return false;
        if (schema["enum"] is JsonArray values && !values.Any(v => (string?)v == value)) return false;
        if (schema["not"] is { } not)
        {
            var alternatives = not["anyOf"] is JsonArray any ? any.Select(a => a!).ToList() : [not];
            if (alternatives.Any(a => SchemaAccepts(a, value))) return false;
        }
        return true;
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
