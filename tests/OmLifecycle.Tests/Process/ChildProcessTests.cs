using OmLifecycle.Process;

namespace OmLifecycle.Tests.Process;

/// <summary>
/// Ozone's committed-bootstrap line reaches om-lifecycle on whichever stream log4j's console uses:
/// stderr with Ozone's own log4j.properties (hadoop-ozone/dist/src/shell/conf), stdout with the
/// chart's default one (a ConsoleAppender without Target: log4j 1.x writes to System.out).
/// </summary>
public sealed class ChildProcessTests
{
    [Theory]
    [InlineData("echo 'INFO om.OzoneManager: Successfully bootstrapped OM ozone-om-3 and joined the Ratis group g'")]
    [InlineData("echo 'INFO om.OzoneManager: Successfully bootstrapped OM ozone-om-3 and joined the Ratis group g' >&2")]
    public async Task A_watched_line_is_seen_on_stdout_and_on_stderr(string script)
    {
        using var child = ChildProcess.Start(new ProcessSpec("/bin/sh", ["-c", "echo start-up chatter; " + script]), line => line.Contains("Successfully bootstrapped OM ozone-om-3", StringComparison.Ordinal));
        (await child.WaitForExitAsync(CancellationToken.None)).Should().Be(0);

        child.SawWatchedLine.Should().BeTrue();
    }

    [Fact]
    public async Task Nothing_is_seen_when_no_line_matches()
    {
        using var child = ChildProcess.Start(new ProcessSpec("/bin/sh", ["-c", "echo one; echo two >&2"]), line => line.Contains("Successfully bootstrapped", StringComparison.Ordinal));
        await child.WaitForExitAsync(CancellationToken.None);

        child.SawWatchedLine.Should().BeFalse();
    }
}
