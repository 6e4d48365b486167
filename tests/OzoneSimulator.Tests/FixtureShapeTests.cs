using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Fixtures;

namespace OzoneSimulator.Tests;

/// <summary>The simulator answers in the same shape as the real answers in tests/fixtures/ozone.</summary>
public sealed partial class FixtureShapeTests : IDisposable
{
    private readonly SimCluster cluster = new();

    public void Dispose() => cluster.Dispose();

    [Fact]
    public async Task The_leaders_JMX_answer_has_the_real_header_layout_keys_and_padding()
    {
        await cluster.FormRingAsync(3);
        var leader = int.Parse(cluster.State.Read().Leader![2..]);
        var real = HttpFixture.Load("jmx/raft-server-leader.http");

        var (contentType, body) = await cluster.JmxAnswerAsync(leader);

        contentType.Should().Be(real.Headers["Content-Type"]);
        Shape(body).Should().Be(Shape(real.Body));
        Bean(body)["Role"]!.GetValue<string>().Should().Be(Bean(real.Body)["Role"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_followers_JMX_answer_matches_the_real_follower()
    {
        await cluster.FormRingAsync(3);
        var follower = new[] { 0, 1, 2 }.First(i => $"om{i}" != cluster.State.Read().Leader);
        var real = HttpFixture.Load("jmx/raft-server-follower.http");

        var body = await cluster.JmxAsync(follower);

        Shape(body).Should().Be(Shape(real.Body));
        Bean(body)["Role"]!.GetValue<string>().Should().Be(" FOLLOWER");
    }

    /// <summary>The text with every value replaced by its kind: keys, order, layout and list lengths stay.</summary>
    private static string Shape(string json) =>
        Number().Replace(Text().Replace(json.Replace("\r\n", "\n"), m => m.Groups[1].Success ? m.Value : "\"s\""), "n");

    private static JsonNode Bean(string json) => JsonNode.Parse(json)!["beans"]![0]!;

    // Every string literal, token by token; a key is the one followed by " : ".
    [GeneratedRegex("\"(?:[^\"\\\\]|\\\\.)*\"( :)?")]
    private static partial Regex Text();

    [GeneratedRegex("(?<= : )-?[0-9][0-9.eE+-]*")]
    private static partial Regex Number();
}
