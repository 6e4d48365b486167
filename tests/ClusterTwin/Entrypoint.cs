using System.Text;
using System.Text.RegularExpressions;
using k8s.Models;
using OzoneSimulator;

namespace ClusterTwin;

/// <summary>
/// The Ozone image's ENTRYPOINT, `dumb-init -- entrypoint.sh`, up to its `exec "$@"`, after
/// apache/ozone hadoop-ozone/dist/src/main/dockerlibexec/entrypoint.sh and envtoconf.py (master).
/// Under `set -e` it sets CONF_DESTINATION_DIR="${HADOOP_CONF_DIR:-/opt/hadoop/etc/hadoop}", copies
/// the image's default configs there with errors ignored (`set +e` around the cp; not modelled,
/// it cannot fail the container), then always runs `envtoconf.py --destination
/// "$CONF_DESTINATION_DIR"`: every variable named `&lt;NAME&gt;.&lt;ext&gt;_&lt;key&gt;` becomes a
/// property of `&lt;name&gt;.&lt;ext&gt;` (and its `.raw` form) in that directory, rewritten from the
/// environment alone, values not XML-escaped. A write that fails ends the script with exit 1,
/// before Ozone starts. ENSURE_SCM_INITIALIZED / ENSURE_SCM_BOOTSTRAPPED / ENSURE_OM_INITIALIZED are
/// not modelled here: no container the twin starts sets them.
/// </summary>
public static partial class Entrypoint
{
    /// <summary>The entrypoint's default destination when HADOOP_CONF_DIR is unset or empty (`${HADOOP_CONF_DIR:-...}`).</summary>
    public const string DefaultDestination = "/opt/hadoop/etc/hadoop";

    /// <summary>The file extensions envtoconf.py recognises in a variable name.</summary>
    private static readonly string[] Extensions = ["xml", "properties", "yaml", "yml", "env", "sh", "cfg", "conf"];

    /// <summary>`OZONE-SITE.XML_ozone.om.address`: the file name (any case), its extension, then the key.</summary>
    [GeneratedRegex(@"^(?<name>[^_]+?)\.(?<ext>[A-Za-z]+)_(?<key>.+)$")]
    private static partial Regex ConfVariable();

    /// <summary>
    /// The configuration files envtoconf would write from this environment, by file name, as
    /// (key, value) pairs in the order of the variables. HADOOP_CONF_DIR and OZONE_CONF_DIR are
    /// excluded by envtoconf.py.
    /// </summary>
    public static Dictionary<string, List<(string Key, string Value)>> Files(IReadOnlyDictionary<string, string> env)
    {
        var files = new Dictionary<string, List<(string, string)>>(StringComparer.Ordinal);
        foreach (var (name, value) in env.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            if (name is "HADOOP_CONF_DIR" or "OZONE_CONF_DIR") continue;
            var match = ConfVariable().Match(name);
            if (!match.Success || !Extensions.Contains(match.Groups["ext"].Value.ToLowerInvariant())) continue;
            var file = $"{match.Groups["name"].Value}.{match.Groups["ext"].Value}".ToLowerInvariant();
            if (!files.TryGetValue(file, out var props)) files[file] = props = [];
            props.Add((match.Groups["key"].Value, value));
        }
        return files;
    }

    /// <summary>
    /// Runs the entrypoint's envtoconf step for a container whose environment is
    /// <paramref name="env"/> (paths already mapped to the host) and whose writable mounts are
    /// <paramref name="mounts"/> (<see cref="ContainerImage.WritableDirs"/>). Returns null when it
    /// passed, or what the container prints before it exits 1.
    /// </summary>
    public static string? Run(IReadOnlyDictionary<string, string> env, IReadOnlyList<string> mounts, Func<string, string> mapPath)
    {
        var destination = env.GetValueOrDefault("HADOOP_CONF_DIR") is { Length: > 0 } set ? set : mapPath(DefaultDestination);
        var files = Files(env);
        if (files.Count == 0) return null;
        // The same check as the launcher's: a directory on the read-only root filesystem cannot be written.
        var host = Launcher.WritableLocation(destination, [.. mounts]);
        if (host is null)
        {
            // envtoconf.py opens `<name>.<ext>.raw` first; Python's uncaught OSError exits 1 and `set -e` ends the script.
            var first = files.Keys.Order(StringComparer.Ordinal).First();
            return $"OSError: [Errno 30] Read-only file system: '{destination.TrimEnd('/')}/{first}.raw'";
        }
        // On the image's own writable root filesystem: written inside the image, not on this machine.
        if (host.Length == 0) return null;
        Directory.CreateDirectory(host);
        foreach (var (file, props) in files)
        {
            var raw = new StringBuilder();
            foreach (var (key, value) in props) raw.Append(key).Append(": ").Append(value).Append('\n');
            File.WriteAllText(Path.Combine(host, file + ".raw"), raw.ToString());
            File.WriteAllText(Path.Combine(host, file), Render(file, props));
        }
        return null;
    }

    /// <summary>
    /// The transformation of envtoconf's transformation.py by extension: xml as Hadoop properties
    /// with names and values as they are (no escaping, so a value with '&amp;' or '&lt;' makes the
    /// file unreadable, as it does for Ozone), the others as `key=value` or `key: value` lines.
    /// </summary>
    public static string Render(string file, IReadOnlyList<(string Key, string Value)> props)
    {
        var text = new StringBuilder();
        switch (Path.GetExtension(file))
        {
            case ".xml":
                text.Append("<configuration>\n");
                foreach (var (key, value) in props) text.Append("<property><name>").Append(key).Append("</name><value>").Append(value).Append("</value></property>\n");
                text.Append("</configuration>\n");
                break;
            case ".yaml" or ".yml":
                foreach (var (key, value) in props) text.Append(key).Append(": ").Append(value).Append('\n');
                break;
            default:
                foreach (var (key, value) in props) text.Append(key).Append('=').Append(value).Append('\n');
                break;
        }
        return text.ToString();
    }
}
