namespace OmLifecycle.Tests.Contract;

/// <summary>Where the checkout and its pinned tools are, for tests that read the chart or run Helm.</summary>
public static class Repository
{
    public static string Root
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "OzoneChart.slnx"))) dir = dir.Parent;
            return dir?.FullName ?? throw new InvalidOperationException("repository root not found");
        }
    }

    /// <summary>The Helm binaries `make tools` installs (OZONE_CHART_TOOLS when the Makefile sets it).</summary>
    public static string ToolsDir =>
        Environment.GetEnvironmentVariable("OZONE_CHART_TOOLS") is { Length: > 0 } dir ? dir : Path.Combine(Root, ".tools", "bin");
}
