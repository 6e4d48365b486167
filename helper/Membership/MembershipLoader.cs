using System.Globalization;
using OmLifecycle.Cli;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace OmLifecycle.Membership;

/// <summary>
/// Reads and validates the membership document. Every problem is collected and reported in one
/// refusal that names each field and the fix; nothing is acted on when the document is wrong.
/// </summary>
public static class MembershipLoader
{
    public const string DefaultPath = "/etc/om-lifecycle/membership.yaml";

    private static readonly HashSet<string> KnownKeys =
    [
        "version", "serviceId", "release", "namespace", "statefulSet", "ringConfigMap", "replicas", "previousReplicas", "retainedVolumes",
        "nodeIdPrefix", "hostPattern", "headlessService", "nodes", "joining", "leaving", "ports", "paths", "timeouts",
    ];

    private static readonly HashSet<string> NodeKeys = ["id", "host"];
    private static readonly HashSet<string> PortKeys = ["rpc", "ratis", "http"];
    private static readonly HashSet<string> PathKeys = ["metadataDir"];
    private static readonly HashSet<string> TimeoutKeys = ["bootstrap", "waitForTurn", "command", "decommission"];

    public static MembershipDocument LoadFile(string path)
    {
        var text = InputFile.ReadText(path, "the membership document",
            $"Point --membership (or OM_LIFECYCLE_MEMBERSHIP) at the file itself, by default {DefaultPath} where the chart mounts the '<release>-om-membership' ConfigMap as a directory.",
            MembershipLimits.MaxDocumentBytes);
        return Parse(text, path);
    }

    public static MembershipDocument Parse(string text, string source = "membership document")
    {
        var root = ReadRoot(text, source);
        var errors = new List<string>();
        var reader = new FieldReader(root, errors);

        reader.RejectUnknown(KnownKeys);

        var version = reader.Int("version", required: true);
        if (version is not null && version != 1) errors.Add($"'version' is {version}; this om-lifecycle reads version 1. Render the chart and om-lifecycle from the same release.");

        var serviceId = reader.String("serviceId", Names.IsLabel, "a DNS label: lower-case letters, digits and '-', at most 63 characters, e.g. 'ozone'");
        var release = reader.String("release", Names.IsLabel, "the Helm release name, a DNS label");
        var ns = reader.String("namespace", Names.IsLabel, "a Kubernetes namespace name");
        var statefulSet = reader.String("statefulSet", Names.IsLabel, "the OM StatefulSet name, e.g. 'ozone-om'");
        var ringConfigMap = reader.String("ringConfigMap", Names.IsLabel, "a ConfigMap name, e.g. 'ozone-om-ring'");
        var replicas = reader.Int("replicas", required: true);
        if (replicas is < 1) errors.Add($"'replicas' is {replicas}; an OM ring needs at least 1 node. Set om.replicas to 1 or more (odd: 1, 3, 5).");
        if (replicas is > MembershipLimits.MaxReplicas) errors.Add($"'replicas' is {replicas}; at most {MembershipLimits.MaxReplicas} OMs are supported. Set om.replicas to {MembershipLimits.MaxReplicas} or fewer.");
        var previous = reader.Int("previousReplicas", required: false);
        if (previous is < 0 or > MembershipLimits.MaxReplicas)
            errors.Add($"'previousReplicas' is {previous}; it is the live OM StatefulSet's size, 0..{MembershipLimits.MaxReplicas} (at most {MembershipLimits.MaxReplicas} OMs are supported), or null when unknown. Check 'kubectl get statefulset' and render the chart again.");
        var retained = reader.Int("retainedVolumes", required: false);
        if (retained is < 0 or > MembershipLimits.MaxReplicas)
            errors.Add($"'retainedVolumes' is {retained}; it is how many OM volumes an earlier install of this release left, 0..{MembershipLimits.MaxReplicas}. Check 'kubectl get pvc' and render the chart again.");
        var prefix = reader.String("nodeIdPrefix", p => p.EndsWith('-') && Names.IsLabel(p.TrimEnd('-')), "the StatefulSet name followed by '-', e.g. 'ozone-om-'");
        var hostPattern = reader.String("hostPattern", p => p.Contains("{id}", StringComparison.Ordinal) || p.Contains("{ordinal}", StringComparison.Ordinal),
            "a host name with {id} or {ordinal}, e.g. '{id}.ozone-om-headless.default.svc.cluster.local'");
        var headless = reader.OptionalString("headlessService", Names.IsLabel, "the OM headless Service name, e.g. 'ozone-om-headless'");
        var nodes = reader.Nodes("nodes");
        var joining = reader.StringList("joining");
        var leaving = reader.StringList("leaving");

        var ports = reader.Map("ports");
        var portReader = new FieldReader(ports, errors, "ports.");
        portReader.RejectUnknown(PortKeys);
        var rpc = portReader.Int("rpc", required: true);
        var ratis = portReader.Int("ratis", required: true);
        var http = portReader.Int("http", required: true);
        foreach (var (name, value) in new[] { ("rpc", rpc), ("ratis", ratis), ("http", http) })
        {
            if (value is < 1 or > 65535) errors.Add($"'ports.{name}' is {value}; a port is 1..65535.");
        }
        if (rpc is not null && (rpc == ratis || rpc == http || ratis == http)) errors.Add("'ports' has the same number twice; rpc, ratis and http need distinct ports (defaults 9862, 9872, 9874).");

        var paths = reader.Map("paths");
        var pathReader = new FieldReader(paths, errors, "paths.");
        pathReader.RejectUnknown(PathKeys);
        var metadataDir = pathReader.String("metadataDir", MembershipLimits.IsDataDirectory,
            "an absolute, normalized directory that is not / or a system directory, e.g. '/data/metadata' (ozone.metadata.dirs; wipe deletes the OM data under it)");

        var timeouts = reader.Map("timeouts");
        var timeoutReader = new FieldReader(timeouts, errors, "timeouts.");
        timeoutReader.RejectUnknown(TimeoutKeys);
        TimeSpan Seconds(string key)
        {
            var v = timeoutReader.Int(key, required: true);
            if (v is < 1 or > MembershipLimits.MaxTimeoutSeconds)
                errors.Add($"'timeouts.{key}' is {v}; give a number of seconds above 0 and at most {MembershipLimits.MaxTimeoutSeconds} (one day), e.g. om.lifecycle.{key}Timeout in the chart's values.");
            return TimeSpan.FromSeconds(v is > 0 and <= MembershipLimits.MaxTimeoutSeconds ? v.Value : 1);
        }
        var timeoutValues = new OmTimeouts(Seconds("bootstrap"), Seconds("waitForTurn"), Seconds("command"), Seconds("decommission"));

        if (errors.Count == 0)
        {
            var doc = new MembershipDocument(serviceId!, release!, ns!, statefulSet!, ringConfigMap!, replicas!.Value, previous, prefix!,
                hostPattern!, nodes, joining, leaving, new OmPorts(rpc!.Value, ratis!.Value, http!.Value), metadataDir!, timeoutValues,
                headless ?? statefulSet + "-headless", retained ?? 0);
            CheckConsistency(doc, errors);
            if (errors.Count == 0) return doc;
        }
        throw LifecycleException.Refused($"The membership document {source} is invalid: " + Sentences(errors));
    }

    private static void CheckConsistency(MembershipDocument doc, List<string> errors)
    {
        if (doc.Nodes.Count != doc.Replicas)
        {
            errors.Add($"'nodes' lists {doc.Nodes.Count} nodes but 'replicas' is {doc.Replicas}; list exactly the desired voters {doc.NodeIdPrefix}0..{doc.NodeIdPrefix}{doc.Replicas - 1}.");
            return;
        }
        for (var i = 0; i < doc.Nodes.Count; i++)
        {
            var expected = doc.NodeAt(i);
            var node = doc.Nodes[i];
            if (node.Id != expected.Id) errors.Add($"'nodes[{i}].id' is '{node.Id}'; in ordinal order it must be '{expected.Id}'.");
            else if (!Names.IsHost(expected.Host)) errors.Add($"'hostPattern' gives '{expected.Host}' for {expected.Id}, which is not a valid host name; use lower-case letters, digits, '-' and '.'.");
            else if (node.Host != expected.Host) errors.Add($"'nodes[{i}].host' is '{node.Host}' but 'hostPattern' gives '{expected.Host}'; render both from the same chart values.");
        }
        foreach (var (field, ids) in new[] { ("joining", doc.Joining), ("leaving", doc.Leaving) })
        {
            foreach (var id in ids.Where(id => doc.OrdinalOf(id) is null))
                errors.Add($"'{field}' names '{id}', which is not a node id of this ring ('{doc.NodeIdPrefix}<ordinal>').");
        }
        foreach (var id in doc.Joining.Where(id => !doc.IsDesired(id)))
            errors.Add($"'joining' names '{id}', which is not among the desired nodes; a joiner must be below 'replicas' ({doc.Replicas}).");
        foreach (var id in doc.Leaving.Where(doc.IsDesired))
            errors.Add($"'leaving' names '{id}', which is still a desired node; only ordinals at or above 'replicas' ({doc.Replicas}) can leave.");
    }

    /// <summary>At most this many problems are listed; a hostile document must not make a megabyte-long line.</summary>
    private const int MaxListed = 10;

    /// <summary>The first problems, the whole bounded: a path inside a hostile document can be thousands of characters (found by the fuzz test).</summary>
    private static string Sentences(IReadOnlyList<string> errors) => CommandBoundary.OneLine(SentencesUnbounded(errors), MaxSentencesLength);

    private const int MaxSentencesLength = 3000;

    private static string SentencesUnbounded(IReadOnlyList<string> errors) =>
        errors.Count <= MaxListed
            ? string.Join(" ", errors)
            : string.Join(" ", errors.Take(MaxListed)) + $" (and {errors.Count - MaxListed} more problems of the same kind.)";

    private static YamlMappingNode ReadRoot(string text, string source)
    {
        var stream = new YamlStream();
        try
        {
            // The structure is checked on the event stream first: YamlStream builds its tree recursively,
            // so a deeply nested document would overflow the stack, and it stops at the first duplicate key.
            var problems = StructureProblems(text);
            if (problems.Count > 0) throw LifecycleException.Refused($"The membership document {source} is invalid: " + Sentences(problems) + " Re-render it with the chart.");
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            throw LifecycleException.Refused($"The membership document {source} is not valid YAML (line {e.Start.Line}, column {e.Start.Column}: {CommandBoundary.OneLine(e.Message, 200)}). Re-render it with the chart.");
        }
        catch (InvalidOperationException e)
        {
            // YamlDotNet 18.1.0's scanner throws this on some broken flow mappings (found by the membership fuzz test).
            throw LifecycleException.Refused($"The membership document {source} is not valid YAML ({CommandBoundary.OneLine(e.Message, 200)}). Re-render it with the chart.");
        }
        if (stream.Documents.Count != 1 || stream.Documents[0].RootNode is not YamlMappingNode root)
            throw LifecycleException.Refused($"The membership document {source} must be one YAML mapping (version, serviceId, replicas, nodes, ...); it is empty or of another shape. Re-render it with the chart.");
        return root;
    }

    /// <summary>Nesting deeper than the document ever is, keys that are not text, keys given twice.</summary>
    private static List<string> StructureProblems(string text)
    {
        var problems = new List<string>();
        var parser = new Parser(new StringReader(text));
        var frames = new Stack<Frame>();
        while (parser.MoveNext())
        {
            var current = parser.Current!;
            if (current is NodeEvent or AnchorAlias && frames.TryPeek(out var parent))
            {
                var childPath = parent.ChildPath();
                if (parent.Keys is not null && parent.ExpectKey)
                {
                    if (current is Scalar { Value: var key })
                    {
                        if (!parent.Keys.Add(key)) problems.Add($"'{parent.Path}{key}' is given more than once; keep one.");
                        parent.LastKey = key;
                    }
                    else problems.Add($"A key in '{(parent.Path.Length == 0 ? "the top level" : parent.Path.TrimEnd('.'))}' is not text (a list, a mapping or an alias used as a key); keys are field names such as 'replicas'.");
                    parent.ExpectKey = false;
                }
                else
                {
                    if (parent.Keys is not null) parent.ExpectKey = true;
                    else parent.Index++;
                }
                if (current is MappingStart or SequenceStart)
                {
                    if (frames.Count >= MembershipLimits.MaxNesting)
                    {
                        problems.Add($"it is nested more than {MembershipLimits.MaxNesting} levels deep (at '{childPath.TrimEnd('.')}'); the document is a few flat mappings and lists.");
                        return problems;
                    }
                    frames.Push(new Frame(childPath, current is MappingStart));
                }
            }
            else if (current is MappingStart or SequenceStart) frames.Push(new Frame("", current is MappingStart));
            else if (current is MappingEnd or SequenceEnd) frames.Pop();
        }
        return problems;
    }

    private sealed class Frame(string path, bool mapping)
    {
        public string Path { get; } = path;
        public HashSet<string>? Keys { get; } = mapping ? new HashSet<string>(StringComparer.Ordinal) : null;
        public bool ExpectKey { get; set; } = true;
        public string LastKey { get; set; } = "";
        public int Index { get; set; } = -1;

        /// <summary>The path of the node that starts now: after a key, that key; in a list, the next index.</summary>
        public string ChildPath() => Keys is not null ? $"{Path}{LastKey}." : $"{Path.TrimEnd('.')}[{Index + 1}].";
    }

    /// <summary>Reads typed fields of one mapping, adding a sentence per problem.</summary>
    private sealed class FieldReader(YamlMappingNode? map, List<string> errors, string path = "")
    {
        private YamlNode? Get(string key) =>
            map is not null && map.Children.TryGetValue(new YamlScalarNode(key), out var node) ? node : null;

        /// <summary>Names the first few keys that are not fields; the rest only by their number.</summary>
        public void RejectUnknown(IReadOnlySet<string> known)
        {
            if (map is null) return;
            var unknown = map.Children.Keys.OfType<YamlScalarNode>().Select(k => k.Value ?? "").Where(k => !known.Contains(k)).ToList();
            foreach (var key in unknown.Take(3)) errors.Add($"'{path}{UntrustedText.Show(key, 60)}' is not a field of the membership document; remove it or fix its spelling.");
            if (unknown.Count > 3) errors.Add($"(and {unknown.Count - 3} more unknown keys)");
        }

        private static bool IsNull(YamlNode? node) =>
            node is null || (node is YamlScalarNode s && s.Style == ScalarStyle.Plain && (s.Value is null or "" or "~" or "null"));

        public string? String(string key, Func<string, bool> valid, string expected)
        {
            var node = Get(key);
            if (IsNull(node)) { errors.Add($"'{path}{key}' is missing; give {expected}."); return null; }
            if (node is not YamlScalarNode { Value: { } value }) { errors.Add($"'{path}{key}' must be a string: {expected}."); return null; }
            if (!valid(value)) { errors.Add($"'{path}{key}' is '{value}'; give {expected}."); return null; }
            return value;
        }

        public string? OptionalString(string key, Func<string, bool> valid, string expected) =>
            IsNull(Get(key)) ? null : String(key, valid, expected);

        public int? Int(string key, bool required)
        {
            var node = Get(key);
            if (IsNull(node))
            {
                if (required) errors.Add($"'{path}{key}' is missing; give a whole number.");
                return null;
            }
            if (node is YamlScalarNode { Value: { } value } && int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number)) return number;
            errors.Add($"'{path}{key}' is '{Describe(node!)}'; give a whole number.");
            return null;
        }

        public YamlMappingNode? Map(string key)
        {
            var node = Get(key);
            if (node is YamlMappingNode m) return m;
            errors.Add(IsNull(node) ? $"'{path}{key}' is missing; see helper/README.md for its fields." : $"'{path}{key}' must be a mapping.");
            return null;
        }

        public IReadOnlyList<string> StringList(string key)
        {
            var node = Get(key);
            if (IsNull(node)) return [];
            if (node is not YamlSequenceNode seq) { errors.Add($"'{path}{key}' must be a list of node ids."); return []; }
            var list = new List<string>();
            foreach (var item in seq)
            {
                if (item is YamlScalarNode { Value: { } v } && Names.IsNodeId(v)) list.Add(v);
                else errors.Add($"'{path}{key}' holds '{Describe(item)}', which is not a node id (lower-case letters, digits and '-').");
            }
            return list;
        }

        public IReadOnlyList<OmNode> Nodes(string key)
        {
            var node = Get(key);
            if (node is not YamlSequenceNode seq || seq.Children.Count == 0)
            {
                errors.Add($"'{path}{key}' must list the desired voters, each with 'id' and 'host'.");
                return [];
            }
            var nodes = new List<OmNode>();
            for (var i = 0; i < seq.Children.Count; i++)
            {
                if (seq.Children[i] is not YamlMappingNode item) { errors.Add($"'{key}[{i}]' must be a mapping with 'id' and 'host'."); continue; }
                var r = new FieldReader(item, errors, $"{key}[{i}].");
                r.RejectUnknown(NodeKeys);
                var id = r.String("id", Names.IsNodeId, "a node id: lower-case letters, digits and '-'");
                var host = r.String("host", Names.IsHost, "a host name: lower-case letters, digits, '-' and '.'");
                if (id is not null && host is not null) nodes.Add(new OmNode(id, i, host));
            }
            return nodes;
        }

        private static string Describe(YamlNode node) => node switch
        {
            YamlScalarNode s => s.Value ?? "",
            YamlSequenceNode => "a list",
            YamlMappingNode => "a mapping",
            _ => node.ToString(),
        };
    }
}
