using System.Collections.Concurrent;
using System.Diagnostics;
using k8s;
using k8s.Models;

namespace Chart.Tests;

/// <summary>Renders the chart with the pinned Helm binaries from `make tools`.</summary>
public static class Helm
{
    public static readonly string[] Versions = ["helm3", "helm4"];

    public static string RepoRoot
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "OzoneChart.slnx"))) dir = dir.Parent;
            return dir?.FullName ?? throw new InvalidOperationException("repository root not found");
        }
    }

    public static string ChartDir => Path.Combine(RepoRoot, "charts", "ozone");

    public static string ToolsDir =>
        Environment.GetEnvironmentVariable("OZONE_CHART_TOOLS") is { Length: > 0 } dir ? dir : Path.Combine(RepoRoot, ".tools", "bin");

    public sealed record Result(int ExitCode, string Stdout, string Stderr)
    {
        public IReadOnlyList<object> Objects => KubernetesYaml.LoadAllFromString(Stdout, strict: true);

        public IEnumerable<T> All<T>() => Objects.OfType<T>();

        public T One<T>(string name) where T : IMetadata<V1ObjectMeta> =>
            All<T>().SingleOrDefault(o => o.Metadata.Name == name) ?? throw new InvalidOperationException($"no {typeof(T).Name} {name} in:\n{Stdout}");
    }

    /// <summary>
    /// `helm template`; with a kubeconfig, `--dry-run=server` so that lookup reads that API server.
    /// Without one the output depends only on the chart and the arguments, so each distinct command
    /// line is rendered once per test run and shared (many classes render the same values).
    /// </summary>
    public static Task<Result> TemplateAsync(string helm, IDictionary<string, string>? set = null, string release = "ozone", string ns = "default", string? kubeconfig = null, params string[] extra)
    {
        var args = new List<string> { "template", release, ChartDir, "--namespace", ns };
        foreach (var (k, v) in set ?? new Dictionary<string, string>()) { args.Add("--set"); args.Add($"{k}={v}"); }
        if (kubeconfig is not null)
        {
            args.AddRange(["--kubeconfig", kubeconfig, "--dry-run=server"]);
            if (helm == "helm4") args.Add("--disable-openapi-validation");
        }
        args.AddRange(extra);
        var exe = Path.Combine(ToolsDir, helm);
        if (kubeconfig is not null) return RunAsync(exe, args);
        var key = string.Join('\0', args.Prepend(exe));
        return Renders.GetOrAdd(key, _ => new Lazy<Task<Result>>(() => RunAsync(exe, args))).Value;
    }

    /// <summary>Offline renders by command line; Lazy so that tests asking at once start one helm, not two.</summary>
    private static readonly ConcurrentDictionary<string, Lazy<Task<Result>>> Renders = new();

    /// <summary>
    /// `helm install --dry-run`, whose output ends with the rendered NOTES.txt. With a kubeconfig,
    /// "client" keeps lookup empty though the API server is reachable (as Argo CD renders), and
    /// "server" lets lookup read it.
    /// </summary>
    public static Task<Result> InstallDryRunAsync(string helm, string dryRun, string kubeconfig, IDictionary<string, string>? set = null, string release = "ozone", string ns = "default")
    {
        var args = new List<string> { "install", release, ChartDir, "--namespace", ns, "--kubeconfig", kubeconfig, $"--dry-run={dryRun}" };
        foreach (var (k, v) in set ?? new Dictionary<string, string>()) { args.Add("--set"); args.Add($"{k}={v}"); }
        args.Add("--disable-openapi-validation"); // the fake API server serves no OpenAPI document
        return RunAsync(Path.Combine(ToolsDir, helm), args);
    }

    /// <summary>The NOTES section of `helm install --dry-run` output, or "" when there is none.</summary>
    public static string Notes(Result result)
    {
        var at = result.Stdout.IndexOf("\nNOTES:\n", StringComparison.Ordinal);
        return at < 0 ? "" : result.Stdout[(at + "\nNOTES:\n".Length)..];
    }

    public static async Task<Result> RunAsync(string exe, IEnumerable<string> args)
    {
        var info = new ProcessStartInfo(exe) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) info.ArgumentList.Add(a);
        var home = Path.Combine(Path.GetTempPath(), "ozone-chart-tests-helm");
        info.Environment["HELM_CACHE_HOME"] = Path.Combine(home, "cache");
        info.Environment["HELM_CONFIG_HOME"] = Path.Combine(home, "config");
        info.Environment["HELM_DATA_HOME"] = Path.Combine(home, "data");
        info.Environment.Remove("KUBECONFIG");
        using var p = Process.Start(info)!;
        var o = p.StandardOutput.ReadToEndAsync();
        var e = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        return new Result(p.ExitCode, await o, await e);
    }
}
