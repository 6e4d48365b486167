using System.Diagnostics;
using OmLifecycle.Tests.Membership;

namespace OmLifecycle.Tests.BadInput;

/// <summary>A case's own directory: a valid membership document, a conf dir, a data dir, a run dir.</summary>
public sealed class Sandbox : IDisposable
{
    public Sandbox()
    {
        Dir = Directory.CreateTempSubdirectory("ombad").FullName;
        Directory.CreateDirectory(ConfDir);
        File.WriteAllText(MembershipPath, ValidDocument());
    }

    public string Dir { get; }

    public string MembershipPath => Path.Combine(Dir, "membership.yaml");

    public string ConfDir => Path.Combine(Dir, "conf");

    public string DataDir => Path.Combine(Dir, "data");

    /// <summary>start's heartbeat directory; not part of the "no files left behind" check (it is per-container scratch).</summary>
    public string RunDir => Path.Combine(Dir, "run");

    /// <summary>
    /// timeouts.command of the sandbox's document: how long a hook command retries a failing API
    /// before exit 5. Short, so that the cases of a down, failing or hanging API reach that exit in
    /// seconds (the chart's 120 s made each of them take about 100 s) through the same retries.
    /// </summary>
    public const int CommandTimeoutSeconds = 3;

    /// <summary>A document as the chart renders it; hosts are loopback addresses nobody answers on, so probes fail fast.</summary>
    public string ValidDocument() =>
        new MembershipYaml { HostPattern = "127.9.{ordinal}.1", MetadataDir = DataDir, CommandTimeout = CommandTimeoutSeconds }.Render();

    /// <summary>The valid document with one piece of text replaced.</summary>
    public void WriteDocument(string find, string replace)
    {
        var valid = ValidDocument();
        find = find.Replace("{dir}", Dir, StringComparison.Ordinal);
        valid.Should().Contain(find, "the case edits a line the builder renders");
        File.WriteAllText(MembershipPath, valid.Replace(find, replace, StringComparison.Ordinal));
    }

    public void WriteDocument(string text) => File.WriteAllText(MembershipPath, text);

    /// <summary>Points ozone-om-0 at a fake OM on 127.0.0.1:<paramref name="port"/> (the other nodes stay on addresses nobody answers).</summary>
    public void PointNodeZeroAt(int port)
    {
        // The document checks every host against hostPattern, so the pattern moves too: node i at 127.i.0.1 (node 0 on 127.0.0.1).
        var text = System.Text.RegularExpressions.Regex.Replace(File.ReadAllText(MembershipPath), @"127\.9\.(\d+)\.1", "127.$1.0.1");
        File.WriteAllText(MembershipPath, text.Replace("127.9.{ordinal}.1", "127.{ordinal}.0.1", StringComparison.Ordinal)
            .Replace("http: 9874", $"http: {port}", StringComparison.Ordinal));
    }

    /// <summary>Lets an unprivileged user reach the sandbox (a temp subdirectory is 0700); the case's own modes then decide.</summary>
    public void OpenToEveryone()
    {
        SetMode(Dir, (UnixFileMode)0b111_101_101);
        if (File.Exists(MembershipPath)) SetMode(MembershipPath, (UnixFileMode)0b110_100_100);
    }

    /// <summary>chmod; the corpus runs on Linux only (it needs FIFOs, /proc and setpriv).</summary>
    public static void SetMode(string path, UnixFileMode mode)
    {
        if (OperatingSystem.IsWindows()) throw new PlatformNotSupportedException("the bad-input corpus runs on Linux");
        File.SetUnixFileMode(path, mode);
    }

    /// <summary>Writes a fresh heartbeat of start and the marker of a confirmed member, so that `probe ready` goes on to ask the OM.</summary>
    public void ConfirmedMember(string nodeId = "ozone-om-0")
    {
        Directory.CreateDirectory(RunDir);
        File.WriteAllText(Path.Combine(RunDir, "state.json"), $$"""{"phase":"Member","reason":"confirmed","updatedAt":"{{DateTimeOffset.UtcNow:O}}"}""");
        Directory.CreateDirectory(DataDir);
        File.WriteAllText(Path.Combine(DataDir, "om-lifecycle.marker"),
            $$"""{"nodeId":"{{nodeId}}","serviceId":"ozone","clusterId":"CID-1","confirmedAt":"{{DateTimeOffset.UtcNow:O}}","mode":"init"}""");
    }

    public string Combine(string relative) => Path.Combine(Dir, relative);

    public void MakeFifo(string relative)
    {
        using var mkfifo = System.Diagnostics.Process.Start(new ProcessStartInfo("mkfifo", [Path.Combine(Dir, relative)]))!;
        mkfifo.WaitForExit();
        mkfifo.ExitCode.Should().Be(0);
    }

    /// <summary>Every file and directory under the sandbox except the run dir, for the "nothing left behind" check.</summary>
    public IReadOnlyList<string> Snapshot() =>
        Entries(Dir)
            .Where(p => !p.StartsWith(RunDir, StringComparison.Ordinal))
            .Select(p => Path.GetRelativePath(Dir, p))
            .Order(StringComparer.Ordinal)
            .ToList();

    /// <summary>Every entry below <paramref name="dir"/>, not descending into symbolic links (a case links to /proc).</summary>
    private static IEnumerable<string> Entries(string dir) =>
        Directory.EnumerateFileSystemEntries(dir, "*", new EnumerationOptions { AttributesToSkip = 0 })
            .SelectMany(p => new FileInfo(p).LinkTarget is null && Directory.Exists(p) ? Entries(p).Prepend(p) : [p]);

    public void Dispose() => Directory.Delete(Dir, recursive: true);
}
