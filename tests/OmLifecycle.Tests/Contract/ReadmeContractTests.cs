using System.Text.Json;
using System.Text.RegularExpressions;
using OmLifecycle.Cli;
using OmLifecycle.Kubernetes;
using OmLifecycle.Lifecycle;
using OmLifecycle.Logging;

namespace OmLifecycle.Tests.Contract;

/// <summary>
/// helper/README.md is the contract others build on (the chart, people with a shell, log
/// collectors). These tests hold its tables to the code, so the two cannot drift apart.
/// </summary>
public sealed partial class ReadmeContractTests
{
    private static readonly string Readme = File.ReadAllText(Path.Combine(Repository.Root, "helper", "README.md"));

    [Fact]
    public void The_exit_code_table_lists_every_exit_code_with_its_name()
    {
        var rows = TableRows(Section("### Exit codes"))
            .Where(cells => int.TryParse(cells[0], out _))
            .Select(cells => (Code: int.Parse(cells[0], System.Globalization.CultureInfo.InvariantCulture), Name: cells[1].Trim('`')))
            .ToList();

        rows.Should().BeEquivalentTo(Enum.GetValues<ExitCode>().Select(c => (Code: (int)c, Name: c.ToString())));
    }

    [Fact]
    public void The_environment_section_names_every_variable_the_code_reads_and_no_other()
    {
        var named = TableRows(Section("## Environment"))
            .Select(cells => cells[0].Trim('`'))
            .Where(name => UpperCaseName().IsMatch(name))
            .ToHashSet();
        // HOSTNAME is the fallback of POD_NAME, named in that row's text.
        named.Add(EnvironmentVariables.HostName);

        named.Should().BeEquivalentTo(EnvironmentVariables.All);
    }

    [Fact]
    public void Only_EnvironmentVariables_reads_the_environment()
    {
        var helper = Path.Combine(Repository.Root, "helper");
        var readers = Directory.EnumerateFiles(helper, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"))
            .Where(f => File.ReadAllText(f).Contains("GetEnvironmentVariable", StringComparison.Ordinal))
            .Select(f => Path.GetRelativePath(helper, f));

        readers.Should().BeEquivalentTo([Path.Combine("Lifecycle", "EnvironmentVariables.cs")]);
    }

    [Fact]
    public void The_documented_log_line_has_the_keys_a_call_is_logged_with()
    {
        var documented = JsonDocument.Parse(LogExample().Match(Section("### Logs and output")).Groups["json"].Value);
        using var sink = new StringWriter();
        new JsonLog(sink, TimeProvider.System).Call("ozone admin om transfer --service-id ozone -n ozone-om-1", "why", "exit 0", TimeSpan.FromMilliseconds(812));
        var written = JsonDocument.Parse(sink.ToString());

        Keys(written).Should().Equal(Keys(documented));
        written.RootElement.GetProperty("event").GetString().Should().Be(documented.RootElement.GetProperty("event").GetString());
    }

    [Fact]
    public void The_ring_record_table_lists_every_key_the_record_writes()
    {
        var full = new RingRecord(["ozone-om-4"], ["ozone-om-4"], 3, ["ozone-om-0"], "ozone-om-0", "{}", "why", DateTimeOffset.UnixEpoch, "ozone-om-scale-in-x7k2p")
            .WithConfigured("ozone-om-0", ["ozone-om-0"]);
        var written = full.ToData().Keys.Select(k => k.StartsWith(RingRecord.ConfiguredPrefix, StringComparison.Ordinal) ? RingRecord.ConfiguredPrefix + "<node>" : k);

        var documented = TableRows(Section("## The ring ConfigMap"))
            .Select(cells => cells[0].Trim('`'))
            .Where(key => key != "key");

        documented.Should().BeEquivalentTo(written);
    }

    private static IEnumerable<string> Keys(JsonDocument json) => json.RootElement.EnumerateObject().Select(p => p.Name);

    /// <summary>The text from a heading to the next heading of the same or a higher level.</summary>
    private static string Section(string heading)
    {
        var start = Readme.IndexOf("\n" + heading, StringComparison.Ordinal);
        start.Should().BeGreaterThan(0, $"helper/README.md has a '{heading}' section");
        var level = heading.TakeWhile(c => c == '#').Count();
        var rest = Readme[(start + heading.Length + 1)..];
        var next = Regex.Match(rest, $"\n#{{1,{level}}} ");
        return next.Success ? rest[..next.Index] : rest;
    }

    /// <summary>The cells of each Markdown table row (separator rows left out).</summary>
    private static IEnumerable<string[]> TableRows(string section) =>
        section.Split('\n')
            .Where(line => line.StartsWith('|') && !line.StartsWith("|---", StringComparison.Ordinal))
            .Select(line => line.Trim().Trim('|').Split(" | ").Select(cell => cell.Trim()).ToArray());

    [GeneratedRegex("^[A-Z][A-Z0-9_]+$")]
    private static partial Regex UpperCaseName();

    [GeneratedRegex("`(?<json>\\{\"ts\".*?\\})`")]
    private static partial Regex LogExample();
}
