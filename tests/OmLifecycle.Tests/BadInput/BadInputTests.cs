using System.Diagnostics;
using System.Text;
using FakeKubeApi;
using Fixtures;
using OmLifecycle.Tests.Cli;

namespace OmLifecycle.Tests.BadInput;

/// <summary>
/// Runs every case of <see cref="BadInputCorpus"/> against the published binary. A bad input is
/// refused cleanly: the documented exit code, one message that names the field and the fix, no
/// stack trace, no line longer than a screenful, nothing left in the sandbox, and the process ends.
/// </summary>
public sealed class BadInputTests
{
    /// <summary>Only guards against a hang (the harness kills the process); no case is expected to come near it.</summary>
    private static readonly TimeSpan HangGuard = TimeSpan.FromMinutes(2);

    public static TheoryData<BadInputCase> Cases() => [.. BadInputCorpus.All];

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_bad_input_is_refused_cleanly(BadInputCase @case)
    {
        using var sandbox = new Sandbox();
        var env = new Dictionary<string, string?>
        {
            ["OM_LIFECYCLE_MEMBERSHIP"] = sandbox.MembershipPath,
            ["OZONE_CONF_DIR"] = sandbox.ConfDir,
            ["OM_LIFECYCLE_RUN_DIR"] = sandbox.RunDir,
            ["OZONE_BIN"] = "/bin/false",
            ["OM_LIFECYCLE_POLL_MS"] = "20",
        };
        using var api = StartApi(@case.Api, sandbox, env);
        using var om = @case.Jmx is { } mode ? new FakeOmHttp(mode, @case.JmxAnswer) : null;
        @case.Arrange?.Invoke(sandbox);
        if (om is not null) sandbox.PointNodeZeroAt(om.Port);
        if (@case.AsNobody) sandbox.OpenToEveryone();
        foreach (var (key, value) in @case.Env) env[key] = Fill(value, sandbox);
        var untouchedBefore = @case.Untouched.ToDictionary(p => p, Listing);
        var before = sandbox.Snapshot();

        var result = await RunAsync(env, [.. @case.Args.Select(a => Fill(a, sandbox))], sandbox.Dir, @case.AsNobody);

        var output = result.Stdout + result.Stderr;
        result.Hung.Should().BeFalse($"the process must end by itself (killed after {HangGuard.TotalMinutes} min)");
        output.Should().NotContain("   at ", "a refusal is a sentence, not a stack trace").And.NotContain("Unhandled exception");
        result.ExitCode.Should().Be(@case.Exit, $"the contract's exit code for this input; stderr: {Clip(result.Stderr)}");
        foreach (var fragment in @case.Says) output.Should().Contain(fragment, "the message names the field and the fix");
        foreach (var fragment in @case.MustNotSay) output.Should().NotContain(fragment, "hostile text is neither echoed raw nor believed");
        output.Where(ch => char.IsControl(ch) && ch is not '\n' and not '\r' and not '\t').Should().BeEmpty("control characters (ANSI escapes) from an input are printed escaped");
        output.Should().NotContain("System.Nullable").And.NotContain("`1[", "a message names the input, not a .NET type");
        result.Stderr.Split('\n').Should().OnlyContain(line => line.Length <= 4000, "one refusal line stays readable");
        sandbox.Snapshot().Should().Equal(before, "a refused command leaves no files behind");
        foreach (var (path, listing) in untouchedBefore) Listing(path).Should().Equal(listing, $"nothing is left in {path}");
        if (api?.Kube is { } kube) kube.Requests.Where(r => !r.StartsWith("GET ", StringComparison.Ordinal) && !r.Contains("/events", StringComparison.Ordinal))
            .Should().BeEmpty("a refused command writes nothing to the cluster (Events aside)");
    }

    [Fact]
    public void The_corpus_covers_every_class_of_the_issue_with_60_cases_or_more()
    {
        BadInputCorpus.All.Should().HaveCountGreaterThanOrEqualTo(160);
        BadInputCorpus.All.Select(c => c.Class).Distinct().Should().BeEquivalentTo(["filesystem", "membership", "kubernetes", "jmx", "command line", "environment", "wrong pod"]);
        BadInputCorpus.All.Select(c => c.ToString()).Should().OnlyHaveUniqueItems();
    }

    private static string Fill(string value, Sandbox sandbox) =>
        value.Replace("{dir}", sandbox.Dir, StringComparison.Ordinal).Replace("{membership}", sandbox.MembershipPath, StringComparison.Ordinal);

    private static string Clip(string text) => text.Length <= 600 ? text : text[..600] + "…";

    /// <summary>What install could leave in a directory it does not own: its executable or its temp copy.</summary>
    private static IReadOnlyList<string> Listing(string path) =>
        Directory.Exists(path) ? [.. Directory.EnumerateFileSystemEntries(path, "*om-lifecycle*").Order(StringComparer.Ordinal)] : [];

    private sealed record Run(int ExitCode, string Stdout, string Stderr, bool Hung);

    private static async Task<Run> RunAsync(Dictionary<string, string?> env, string[] args, string workingDirectory, bool asNobody)
    {
        // Root ignores file modes, so a case about an unwritable directory drops to uid/gid 65534 (nobody).
        var dropToNobody = asNobody && Environment.IsPrivilegedProcess;
        var info = OmLifecycleBinary.StartInfo(args);
        info.WorkingDirectory = workingDirectory;
        if (dropToNobody)
        {
            var inner = new[] { info.FileName }.Concat(info.ArgumentList).ToList();
            info.FileName = "setpriv";
            info.ArgumentList.Clear();
            foreach (var arg in new[] { "--reuid=65534", "--regid=65534", "--clear-groups", "--" }.Concat(inner)) info.ArgumentList.Add(arg);
        }
        foreach (var name in new[] { "POD_NAME", "HOSTNAME", "POD_NAMESPACE", "OM_LIFECYCLE_KUBECONFIG", "KUBERNETES_SERVICE_HOST", "OM_LIFECYCLE_DEBUG" })
            info.Environment.Remove(name);
        foreach (var (key, value) in env)
        {
            if (value is null) info.Environment.Remove(key);
            else info.Environment[key] = value;
        }
        using var process = System.Diagnostics.Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var guard = new CancellationTokenSource(HangGuard);
        try
        {
            await process.WaitForExitAsync(guard.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            return new Run(process.ExitCode, await stdout, await stderr, Hung: true);
        }
        return new Run(process.ExitCode, await stdout, await stderr, Hung: false);
    }

    /// <summary>The API a case talks to; writes its kubeconfig into the sandbox and sets OM_LIFECYCLE_KUBECONFIG.</summary>
    private static ApiUnderTest? StartApi(Api kind, Sandbox sandbox, Dictionary<string, string?> env)
    {
        if (kind == Api.None) return null;
        var kubeconfig = sandbox.Combine("kubeconfig");
        env["OM_LIFECYCLE_KUBECONFIG"] = kubeconfig;
        if (kind == Api.Fake)
        {
            var kube = new FakeKubeApiServer();
            kube.Store.Add("""
                {"apiVersion":"apps/v1","kind":"StatefulSet","metadata":{"name":"ozone-om","namespace":"default"},
                 "spec":{"replicas":3,"selector":{"matchLabels":{"app":"om"}},"template":{"metadata":{"labels":{"app":"om"}}}}}
                """);
            kube.WriteKubeconfig(kubeconfig);
            return new ApiUnderTest(kube, null, null);
        }
        var raw = kind switch
        {
            Api.Html => Response("200 OK", "text/html", "<html><body>Please sign in</body></html>"),
            Api.NotFoundHtml => Response("404 Not Found", "text/html", "<html><body><h1>404 Not Found</h1></body></html>"),
            Api.ServerError => Response("500 Internal Server Error", "text/plain", "internal error"),
            Api.Forbidden => Response("403 Forbidden", "application/json",
                """{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"statefulsets.apps is forbidden","reason":"Forbidden","code":403}"""),
            _ => null,
        };
        var server = raw is null ? null : new HttpFixture.Server(raw);
        var stall = kind == Api.Stall ? new FakeOmHttp(OmHttpMode.Stall, []) : null;
        // Port 1 on loopback: nothing listens there, so the connection is refused at once.
        var url = stall is not null ? $"http://127.0.0.1:{stall.Port}" : server is null ? "http://127.0.0.1:1" : $"http://127.0.0.1:{server.Port}";
        File.WriteAllText(kubeconfig, $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: c
              cluster:
                server: {url}
            users:
            - name: u
              user:
                token: t
            contexts:
            - name: c
              context: {"{"}cluster: c, user: u, namespace: default{"}"}
            current-context: c
            """);
        return new ApiUnderTest(null, server, stall);
    }

    private static byte[] Response(string status, string type, string body) =>
        Encoding.UTF8.GetBytes($"HTTP/1.1 {status}\r\nContent-Type: {type}\r\nContent-Length: {Encoding.UTF8.GetByteCount(body)}\r\nConnection: close\r\n\r\n{body}");

    private sealed record ApiUnderTest(FakeKubeApiServer? Kube, HttpFixture.Server? Server, FakeOmHttp? Stall) : IDisposable
    {
        public void Dispose()
        {
            Kube?.Dispose();
            Server?.Dispose();
            Stall?.Dispose();
        }
    }
}
