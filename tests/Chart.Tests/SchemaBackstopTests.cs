namespace Chart.Tests;

/// <summary>
/// `--skip-schema-validation` (Helm 3.16+ and 4) renders without values.schema.json. The rules
/// whose breach would break the ring or fail every pod are therefore also in validateValues
/// (_validate.tpl): with the schema skipped, the same values are still refused, with the fix.
/// </summary>
public sealed class SchemaBackstopTests
{
    public static TheoryData<string, string, string, string> Cases()
    {
        var data = new TheoryData<string, string, string, string>();
        foreach (var helm in Helm.Versions)
        {
            data.Add(helm, "om.replicas", "0", "om.replicas is 0");
            data.Add(helm, "om.replicas", "100", "at most 99 OMs");
            data.Add(helm, "scm.replicas", "2", "scm.replicas is 2");
            data.Add(helm, "datanode.replicas", "1", "datanode.replicas is 1");
            data.Add(helm, "fullnameOverride", "UPPER", "fullnameOverride 'UPPER' is not a DNS label");
            data.Add(helm, "clusterId", new string('a', 64), "clusterId is longer than 63 characters");
            data.Add(helm, "om.persistence.path", "/data/../etc", "om.persistence.path '/data/../etc' is not a safe data directory");
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Values_the_schema_refuses_are_refused_without_it_too(string helm, string key, string value, string message)
    {
        var set = new Dictionary<string, string> { [key] = value };
        var withSchema = await Helm.TemplateAsync(helm, set);
        withSchema.ExitCode.Should().NotBe(0, "the schema refuses it");

        var skipped = await Helm.TemplateAsync(helm, set, extra: "--skip-schema-validation");

        skipped.ExitCode.Should().NotBe(0, $"validateValues must refuse {key}={value} without the schema, but it rendered:\n{skipped.Stdout}");
        skipped.Stdout.Should().BeEmpty();
        skipped.Stderr.Should().Contain(message);
    }
}
