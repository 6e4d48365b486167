namespace OzoneSimulator;

/// <summary>The Ozone releases the simulator answers as. master is 2.3.0-SNAPSHOT (as of 2026-08).</summary>
public enum OzoneRelease { V2_0, V2_1, V2_2, Master }

/// <summary>
/// Which Ozone release this process plays, and where releases differ in what om-lifecycle and the
/// chart touch. The twin sets <see cref="Variable"/> from the tag of the pod's apache/ozone image; a
/// plain process (the simulator's and om-lifecycle's own tests) plays the chart's default, 2.1.
/// Each difference names the source it follows, read at tags ozone-2.0.0, ozone-2.1.0, ozone-2.2.0
/// and master (2026-08).
/// </summary>
public sealed record OzoneVersion(OzoneRelease Release)
{
    public const string Variable = "OZONE_SIM_VERSION";

    /// <summary>The chart's appVersion (charts/ozone/Chart.yaml).</summary>
    public static readonly OzoneVersion Default = new(OzoneRelease.V2_1);

    public static OzoneVersion FromEnvironment() =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } text
            ? Parse(text) ?? throw new SimExit(2, $"{Variable} is '{text}': the simulator plays Ozone 2.0.x, 2.1.x, 2.2.x or master (2.3.0-SNAPSHOT, 'master' or 'latest').")
            : Default;

    /// <summary>An image tag or version: 2.0.0, 2.1.1, 2.2.1, 2.3.0-SNAPSHOT, master, latest; null when it is none of them.</summary>
    public static OzoneVersion? Parse(string text)
    {
        var t = text.Trim();
        if (t is "master" or "latest") return new(OzoneRelease.Master);
        var parts = t.Split('-', 2)[0].Split('.');
        if (parts.Length < 2 || parts[0] != "2" || !int.TryParse(parts[1], out var minor)) return null;
        return minor switch
        {
            0 => new(OzoneRelease.V2_0),
            1 => new(OzoneRelease.V2_1),
            2 => new(OzoneRelease.V2_2),
            3 => new(OzoneRelease.Master),
            _ => null,
        };
    }

    public override string ToString() => Release switch
    {
        OzoneRelease.V2_0 => "2.0",
        OzoneRelease.V2_1 => "2.1",
        OzoneRelease.V2_2 => "2.2",
        _ => "master (2.3.0-SNAPSHOT)",
    };

    /// <summary>
    /// From 2.2 the OM's default Ratis dirs are its own: `om.ratis` and `om.ratis.snapshot` under
    /// ozone.metadata.dirs (ServerUtils#getDefaultRatisDirectory / getDefaultRatisSnapshotDirectory
    /// with NodeType.OM, 2.2.0); up to 2.1 `ratis` and `snapshot` (ServerUtils#getDefaultRatisDirectory,
    /// OzoneConsts.OZONE_RATIS_SNAPSHOT_DIR).
    /// </summary>
    public bool OwnRatisDirs => Release >= OzoneRelease.V2_2;

    /// <summary>
    /// `ozone admin` option names per release (picocli @Option names):
    /// 2.0/2.1 take `-id`/`--service-id` (GetServiceRolesSubcommand, DecommissionOMSubcommand,
    /// TransferOmLeaderSubCommand); 2.2 moves the service id to OmAddressOptions, which adds
    /// `--om-service-id` and keeps `-id` hidden; master's subcommands know only the long names and
    /// GenericCli rewrites the old ones first (<see cref="DeprecatedAliases"/>).
    /// </summary>
    public IReadOnlyList<string> ServiceIdOptions => Release switch
    {
        OzoneRelease.V2_0 or OzoneRelease.V2_1 => ["-id", "--service-id"],
        OzoneRelease.V2_2 => ["--service-id", "--om-service-id", "-id"],
        _ => ["--service-id", "--om-service-id"],
    };

    public IReadOnlyList<string> NodeIdOptions => Release == OzoneRelease.Master ? ["--nodeid"] : ["-nodeid", "--nodeid"];

    public IReadOnlyList<string> NodeHostOptions => Release == OzoneRelease.Master ? ["--node-host-address"] : ["-hostname", "--node-host-address"];

    public IReadOnlyList<string> NewLeaderOptions => Release == OzoneRelease.Master ? ["-n", "--new-leader-id"] : ["-n", "--newLeaderId", "--new-leader-id"];

    /// <summary>
    /// master only: GenericCli's preprocessor passes every argument through DeprecatedCliOption, which
    /// replaces these old names (also as `-id=value`) and prints "WARNING: Option '-id' is deprecated.
    /// Use '--service-id' instead." on stderr for each, before the command runs (hadoop-hdds/cli-common).
    /// </summary>
    public IReadOnlyDictionary<string, string> DeprecatedAliases => Release == OzoneRelease.Master
        ? new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["-conf"] = "--conf",
            ["-id"] = "--service-id",
            ["-host"] = "--service-host",
            ["-nodeid"] = "--nodeid",
            ["-hostname"] = "--node-host-address",
            ["--newLeaderId"] = "--new-leader-id",
        }
        : new Dictionary<string, string>();

    /// <summary>Master's rewrite of deprecated option names, with its warning lines; other releases take the arguments as they are.</summary>
    public string[] RewriteDeprecated(string[] args, TextWriter stderr)
    {
        var aliases = DeprecatedAliases;
        return args.Select(arg =>
        {
            var parts = arg.Split('=', 2);
            if (!aliases.TryGetValue(parts[0], out var replacement)) return arg;
            stderr.WriteLine($"WARNING: Option '{parts[0]}' is deprecated. Use '{replacement}' instead.");
            return parts.Length == 2 ? $"{replacement}={parts[1]}" : replacement;
        }).ToArray();
    }
}
