using YamlDotNet.RepresentationModel;

namespace ClusterTwin;

/// <summary>A kill to inject once while a step runs (tests/scenarios/README.md).</summary>
public sealed record Fault(string Kill, string Target, IReadOnlyDictionary<string, string> When);

public sealed record Expectations(
    IReadOnlyList<string>? Members, string? Leader, string? LeaderNot, IReadOnlyList<string>? Bootstrapped,
    IReadOnlyList<string>? Decommissioned, IReadOnlyList<string>? Wiped, int? MaxOmRestarts, int? MaxLeaderChanges, bool ReleaseFails, int? OmRestarts = null, string? ReleaseError = null,
    IReadOnlyList<string>? ScmMembers = null, int? RegisteredDatanodes = null, string? OmLog = null, string? ApplyMethod = null);

/// <param name="Wait">helm --wait (the default): post hooks run once the rollout is done; false: right after the apply.</param>
/// <param name="DeleteVolumes">uninstall: then delete PVCs (kubectl delete pvc): "all" of the release's, as a user who wants a new cluster does, or one component's ("om", "scm", "datanode"), as when one set of volumes is lost; null keeps them all.</param>
/// <param name="Timeout">helm --timeout for this step (Helm's default 5m when not given); the twin scales it (<see cref="TwinClock"/>).</param>
/// <param name="Atomic">helm --atomic: a failed install/upgrade is rolled back to the previous revision.</param>
/// <param name="ApiFault">api-fault: which API requests fail from this step on, how, and for how long.</param>
/// <param name="StallBootstrap">twin only: from this step on, these joiners' `ozone om --bootstrap` never joins (HDDS-16057) until a later step names another list.</param>
/// <param name="Isolate">twin only: from this step on, these OMs are cut off from their Ratis peers (their processes and HTTP servers run on) until a later step names another list.</param>
/// <param name="Helm">helm3 or helm4: this step's Helm, instead of the run's (a release moved from Helm 3 to Helm 4 mid-story).</param>
/// <param name="Settle">false: the step ends when its action does, without waiting for the StatefulSets to roll out (a cluster that cannot settle, e.g. OMs that Ozone refuses to start).</param>
/// <param name="Mode">kill-pod: graceful (default, kubectl delete pod), evict (the eviction API, as kubectl drain uses it: refused when a PodDisruptionBudget has no disruption to spare), crash (SIGKILL, the kubelet restarts it), node-loss or lose-volume (crash with its volumes emptied; twin only).</param>
public sealed record Step(string Name, string Action, IReadOnlyList<(string Key, string Value)> Set, int? Revision, string? To, string? Pod, IReadOnlyList<Fault> Faults, Expectations Expect, bool Wait = true,
    TimeSpan? Timeout = null, bool Atomic = false, string Mode = "graceful", TimeSpan? RecreateAfter = null, string? DeleteVolumes = null, ApiFaultStep? ApiFault = null,
    IReadOnlyList<string>? StallBootstrap = null, IReadOnlyList<string>? Isolate = null, bool Settle = true, string? Helm = null)
{
    public TimeSpan HelmTimeout => Timeout ?? TwinClock.HelmDefaultTimeout;

    /// <summary>Whether this step's uninstall deletes the volumes of <paramref name="component"/>.</summary>
    public bool DeletesVolumesOf(string component) => DeleteVolumes == "all" || DeleteVolumes == component;
}

public sealed record Scenario(string Name, string Release, string Namespace, string ValuesYaml, IReadOnlyList<Step> Steps)
{
    public static Scenario Load(string path)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(File.ReadAllText(path)));
        var root = (YamlMappingNode)stream.Documents[0].RootNode;
        var values = root.Children.TryGetValue(new YamlScalarNode("values"), out var v) ? Serialize(v) : "{}";
        var steps = ((YamlSequenceNode)root["steps"]).Children.Cast<YamlMappingNode>().Select(ParseStep).ToList();
        return new Scenario(Text(root, "name") ?? Path.GetFileNameWithoutExtension(path), Text(root, "release") ?? "ozone", Text(root, "namespace") ?? "default", values, steps);
    }

    private static Step ParseStep(YamlMappingNode s)
    {
        var set = s.Children.TryGetValue(new YamlScalarNode("set"), out var setNode) && setNode is YamlMappingNode m
            ? m.Children.Select(kv => (((YamlScalarNode)kv.Key).Value!, kv.Value is YamlScalarNode sc ? sc.Value! : Serialize(kv.Value))).ToList()
            : [];
        var faults = s.Children.TryGetValue(new YamlScalarNode("faults"), out var f) && f is YamlSequenceNode fs
            ? fs.Children.Cast<YamlMappingNode>().Select(x => new Fault(Text(x, "kill")!, Text(x, "target")!,
                ((YamlMappingNode)x["when"]).Children.ToDictionary(kv => ((YamlScalarNode)kv.Key).Value!, kv => ((YamlScalarNode)kv.Value).Value!))).ToList()
            : [];
        var e = s.Children.TryGetValue(new YamlScalarNode("expect"), out var en) ? (YamlMappingNode)en : new YamlMappingNode();
        var expect = new Expectations(List(e, "members"), Text(e, "leader"), Text(e, "leaderNot"), List(e, "bootstrapped"), List(e, "decommissioned"), List(e, "wiped"),
            Int(e, "maxOmRestarts"), Int(e, "maxLeaderChanges"), Text(e, "releaseFails") == "true", Int(e, "omRestarts"), Text(e, "releaseError"),
            List(e, "scmMembers"), Int(e, "registeredDatanodes"), Text(e, "omLog"), Text(e, "applyMethod"));
        var name = Text(s, "name") ?? "(unnamed)";
        var deleteVolumes = Text(s, "deleteVolumes") switch
        {
            null or "false" => null,
            "true" or "all" => "all",
            var component when component is "om" or "scm" or "datanode" => component,
            var other => throw new FormatException($"step '{name}': deleteVolumes: '{other}' is not a choice; use true (all the release's PVCs), om, scm or datanode (that component's PVCs only), or false."),
        };
        TimeSpan? Duration(string key) => Text(s, key) is not { } text ? null
            : TwinClock.ParseDuration(text) ?? throw new FormatException($"step '{name}': {key}: '{text}' is not a duration; write it as Helm's --timeout takes it, e.g. 5m, 90s or 1m30s.");
        var mode = Text(s, "mode") ?? "graceful";
        if (mode is not ("graceful" or "evict" or "crash" or "node-loss" or "lose-volume"))
            throw new FormatException($"step '{name}': mode: '{mode}' is not a kill-pod mode; use graceful (kubectl delete pod), evict (kubectl drain: the eviction API, which honours PodDisruptionBudgets), crash (the container is killed and restarted), node-loss or lose-volume (the container is killed and its volumes come back empty).");
        var atomic = Text(s, "atomic") ?? "false";
        if (atomic is not ("true" or "false")) throw new FormatException($"step '{name}': atomic: '{atomic}' must be true or false.");
        if (expect.ApplyMethod is not (null or "ssa" or "csa"))
            throw new FormatException($"step '{name}': applyMethod: '{expect.ApplyMethod}' must be ssa (server-side apply) or csa (client-side apply), as `helm get metadata` reports it.");
        var helm = Text(s, "helm");
        if (helm is not (null or "helm3" or "helm4")) throw new FormatException($"step '{name}': helm: '{helm}' must be helm3 or helm4.");
        var settle = Text(s, "settle") ?? "true";
        if (settle is not ("true" or "false")) throw new FormatException($"step '{name}': settle: '{settle}' must be true or false.");
        var apiFault = Text(s, "action") == "api-fault" ? ApiFaultStep.Parse(name, key => Text(s, key)) : null;
        return new Step(Text(s, "name")!, Text(s, "action")!, set, Int(s, "revision"), Text(s, "to"), Text(s, "pod"), faults, expect, Text(s, "wait") != "false",
            Duration("timeout"), atomic == "true", mode, Duration("recreateAfter"), deleteVolumes, apiFault,
            NodeList(s, name, "stallBootstrap"), NodeList(s, name, "isolate"), settle == "true", helm);
    }

    /// <summary>A step key that names OMs (stallBootstrap, isolate): absent is null, [] lifts the fault.</summary>
    private static IReadOnlyList<string>? NodeList(YamlMappingNode s, string name, string key)
    {
        var nodes = List(s, key);
        if (s.Children.ContainsKey(new YamlScalarNode(key)) && nodes is null)
            throw new FormatException($"step '{name}': {key}: must be a list of OM node ids, e.g. [ozone-om-4], or [] to lift it.");
        if (nodes?.FirstOrDefault(id => !NodeId.IsMatch(id)) is { } badId)
            throw new FormatException($"step '{name}': {key}: '{badId}' is not an OM node id; write <release>-om-<ordinal>, e.g. ozone-om-4.");
        return nodes;
    }

    private static readonly System.Text.RegularExpressions.Regex NodeId = new("^[a-z0-9]([-a-z0-9]*[a-z0-9])?-om-[0-9]+$");

    private static string? Text(YamlMappingNode m, string key) =>
        m.Children.TryGetValue(new YamlScalarNode(key), out var n) && n is YamlScalarNode s ? s.Value : null;

    private static int? Int(YamlMappingNode m, string key) => int.TryParse(Text(m, key), out var i) ? i : null;

    private static IReadOnlyList<string>? List(YamlMappingNode m, string key) =>
        m.Children.TryGetValue(new YamlScalarNode(key), out var n) && n is YamlSequenceNode seq ? seq.Children.Select(c => ((YamlScalarNode)c).Value!).ToList() : null;

    /// <summary>A YAML node back to text (values files, and --set-json for structured values).</summary>
    public static string Serialize(YamlNode node)
    {
        var doc = new YamlStream(new YamlDocument(node));
        using var writer = new StringWriter();
        doc.Save(writer, assignAnchors: false);
        return writer.ToString().Replace("...\n", "").Trim();
    }
}
