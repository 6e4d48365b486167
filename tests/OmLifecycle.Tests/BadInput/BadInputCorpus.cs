using System.Text;

namespace OmLifecycle.Tests.BadInput;

/// <summary>
/// Bad inputs a hostile user or a broken chart value can give om-lifecycle (the project's issue 10),
/// by class, each with the exit code of helper/README.md and what the refusal must say.
/// </summary>
public static partial class BadInputCorpus
{
    private const int Refused = 1;
    private const int Usage = 2;
    private const int KubernetesFailed = 5;
    private const int Done = 0;
    private const int DeadlinePassed = 3;

    // Properties, not fields: C# runs the field initialisers of a partial class in an unspecified file order, so `All` could see null.
    private static string[] Status => ["status"];

    public static IReadOnlyList<BadInputCase> All { get; } =
        [.. Filesystem(), .. HostileFiles(), .. Document(), .. HostileDocuments(), .. Kubernetes(), .. HostileApis(), .. JmxAnswers(),
         .. CommandLine(), .. HostileCommandLines(), .. Environment(), .. WrongPod()];

    private static BadInputCase Doc(string name, string find, string replace, params string[] says) =>
        new("membership", name, Status, Refused, says) { Arrange = s => s.WriteDocument(find, replace) };

    private static BadInputCase DocText(string name, Func<Sandbox, string> text, params string[] says) =>
        new("membership", name, Status, Refused, says) { Arrange = s => s.WriteDocument(text(s)) };

    /// <summary>No ring and no live size: start on ordinal 0 initialises and writes ozone-site.xml at once.</summary>
    private static void FirstInstall(Sandbox s) => s.WriteDocument("previousReplicas: 3", "previousReplicas: null");

    private static IEnumerable<BadInputCase> Filesystem()
    {
        const string fs = "filesystem";
        yield return new(fs, "install --to /proc (no files can be created there)", ["install", "--to", "/proc"], Refused, "--to '/proc'", "writable") { Untouched = ["/proc"] };
        yield return new(fs, "install --to /sys", ["install", "--to", "/sys"], Refused, "--to '/sys'", "writable") { Untouched = ["/sys"] };
        yield return new(fs, "install --to a dir where om-lifecycle is a directory", ["install", "--to", "{dir}/opt"], Refused, "om-lifecycle", "is a directory", "remove it")
        {
            Arrange = s => Directory.CreateDirectory(s.Combine("opt/om-lifecycle")),
        };
        yield return new(fs, "install --to a regular file", ["install", "--to", "{dir}/membership.yaml"], Refused, "--to", "not a directory");
        yield return new(fs, "install --to a relative path", ["install", "--to", "opt"], Refused, "--to 'opt'", "absolute");
        yield return new(fs, "install --to an empty path", ["install", "--to", ""], Refused, "--to", "absolute");
        yield return new(fs, "install --to a missing directory", ["install", "--to", "{dir}/absent"], Refused, "does not exist", "emptyDir");
        yield return new(fs, "OZONE_CONF_DIR is a file", ["start", "--", "/bin/true"], Refused, "OZONE_CONF_DIR", "writable directory")
        {
            Env = new Dictionary<string, string> { ["OZONE_CONF_DIR"] = "{dir}/conf-file", ["POD_NAME"] = "ozone-om-0" },
            Arrange = s => { FirstInstall(s); File.WriteAllText(s.Combine("conf-file"), "x"); },
        };
        yield return new(fs, "OZONE_CONF_DIR under /proc cannot be created", ["start", "--", "/bin/true"], Refused, "OZONE_CONF_DIR", "writable directory")
        {
            Env = new Dictionary<string, string> { ["OZONE_CONF_DIR"] = "/proc/om-lifecycle-conf", ["POD_NAME"] = "ozone-om-0" },
            Arrange = FirstInstall,
        };
        yield return new(fs, "OZONE_CONF_DIR is /proc (read-only)", ["start", "--", "/bin/true"], Refused, "OZONE_CONF_DIR", "writable directory")
        {
            Env = new Dictionary<string, string> { ["OZONE_CONF_DIR"] = "/proc", ["POD_NAME"] = "ozone-om-0" },
            Arrange = FirstInstall,
        };
        yield return new(fs, "ozone-site.xml is a directory", ["start", "--", "/bin/true"], Refused, "ozone-site.xml", "OZONE_CONF_DIR")
        {
            Env = new Dictionary<string, string> { ["POD_NAME"] = "ozone-om-0" },
            Arrange = s => { FirstInstall(s); Directory.CreateDirectory(Path.Combine(s.ConfDir, "ozone-site.xml")); },
        };
        yield return new(fs, "--membership empty", ["status", "--membership", ""], Refused, "--membership", "is empty");
        yield return new(fs, "--membership is a directory (the chart's mount)", ["status", "--membership", "{dir}"], Refused, "is a directory", "membership.yaml");
        yield return new(fs, "OM_LIFECYCLE_MEMBERSHIP is a directory", Status, Refused, "is a directory", "membership.yaml")
        {
            Env = new Dictionary<string, string> { ["OM_LIFECYCLE_MEMBERSHIP"] = "{dir}/conf" },
        };
        yield return new(fs, "--membership is a FIFO (would block forever)", ["status", "--membership", "{dir}/fifo"], Refused, "not a regular file")
        {
            Arrange = s => s.MakeFifo("fifo"),
        };
        yield return new(fs, "--membership is /dev/zero (endless)", ["status", "--membership", "/dev/zero"], Refused, "/dev/zero", "not a regular file");
        yield return new(fs, "--membership is /dev/null", ["status", "--membership", "/dev/null"], Refused, "/dev/null", "not a regular file");
        yield return new(fs, "--membership is /dev/urandom", ["status", "--membership", "/dev/urandom"], Refused, "not a regular file");
        yield return new(fs, "--membership is a /proc file", ["status", "--membership", "/proc/self/status"], Refused, "not a regular file");
        yield return new(fs, "--membership is larger than any document", ["status", "--membership", "{dir}/big.yaml"], Refused, "larger than", "--membership")
        {
            Arrange = s => File.WriteAllText(s.Combine("big.yaml"), "# padding\n" + new string('#', 3 * 1024 * 1024) + "\nversion: 1\n"),
        };
        yield return new(fs, "--membership is not UTF-8 text", ["status", "--membership", "{dir}/binary.yaml"], Refused, "UTF-8")
        {
            Arrange = s => File.WriteAllBytes(s.Combine("binary.yaml"), [0x76, 0x65, 0x72, 0xff, 0xfe, 0x00, 0xc3, 0x28, 0x0a]),
        };
        yield return new(fs, "--membership missing", ["status", "--membership", "{dir}/none.yaml"], Refused, "Cannot read the membership document", "--membership");
        yield return new(fs, "--membership with a NUL character", ["status", "--membership", "{dir}/a\u0001b"], Refused, "Cannot read the membership document");
    }

    private static IEnumerable<BadInputCase> Document()
    {
        yield return DocText("100,000 levels of list nesting", _ => "version: 1\nnodes: " + new string('[', 100_000) + new string(']', 100_000) + "\n", "nested", "Re-render");
        yield return DocText("100,000 levels of mapping nesting", _ => "version: 1\nports: " + string.Concat(Enumerable.Repeat("{a: ", 100_000)) + "1" + new string('}', 100_000) + "\n", "nested");
        yield return DocText("1,000 levels of block nesting", _ =>
        {
            var text = new StringBuilder("version: 1\npaths:\n");
            for (var i = 0; i < 1_000; i++) text.Append(' ', i + 1).Append("a:\n");
            return text.ToString();
        }, "nested");
        yield return Doc("timeouts.command above a day (Polly's limit)", $"command: {Sandbox.CommandTimeoutSeconds}", "command: 86401", "'timeouts.command' is 86401", "86400");
        yield return Doc("timeouts.bootstrap above a day", "bootstrap: 900", "bootstrap: 86401", "'timeouts.bootstrap' is 86401", "86400");
        yield return Doc("timeouts.waitForTurn of int.MaxValue", "waitForTurn: 3600", "waitForTurn: 2147483647", "'timeouts.waitForTurn'", "86400");
        yield return Doc("timeouts.decommission beyond a whole number", "decommission: 600", "decommission: 99999999999999", "'timeouts.decommission'", "whole number");
        yield return Doc("timeouts.command 0", $"command: {Sandbox.CommandTimeoutSeconds}", "command: 0", "'timeouts.command' is 0", "above 0");
        yield return Doc("timeouts.command negative", $"command: {Sandbox.CommandTimeoutSeconds}", "command: -5", "'timeouts.command' is -5");
        yield return Doc("timeouts.command a fraction", $"command: {Sandbox.CommandTimeoutSeconds}", "command: 1.5", "'timeouts.command' is '1.5'", "whole number");
        yield return Doc("metadataDir '//'", "metadataDir: {dir}/data", "metadataDir: //", "'paths.metadataDir' is '//'", "absolute");
        yield return Doc("metadataDir '/.'", "metadataDir: {dir}/data", "metadataDir: /.", "'paths.metadataDir' is '/.'");
        yield return Doc("metadataDir '/'", "metadataDir: {dir}/data", "metadataDir: /", "'paths.metadataDir' is '/'");
        yield return Doc("metadataDir '/etc' (a system directory)", "metadataDir: {dir}/data", "metadataDir: /etc", "'paths.metadataDir' is '/etc'", "system directory");
        yield return Doc("metadataDir '/usr/lib' (under a system directory)", "metadataDir: {dir}/data", "metadataDir: /usr/lib", "'paths.metadataDir' is '/usr/lib'", "system directory");
        yield return Doc("metadataDir '/proc/1'", "metadataDir: {dir}/data", "metadataDir: /proc/1", "'paths.metadataDir' is '/proc/1'");
        yield return Doc("metadataDir '/data/./metadata'", "metadataDir: {dir}/data", "metadataDir: /data/./metadata", "'paths.metadataDir' is '/data/./metadata'", "normalized");
        yield return Doc("metadataDir '/data//metadata'", "metadataDir: {dir}/data", "metadataDir: /data//metadata", "'paths.metadataDir'", "normalized");
        yield return Doc("metadataDir with a trailing '/'", "metadataDir: {dir}/data", "metadataDir: /data/metadata/", "'paths.metadataDir'", "normalized");
        yield return Doc("metadataDir '/data/../etc'", "metadataDir: {dir}/data", "metadataDir: /data/../etc", "'paths.metadataDir'");
        yield return Doc("metadataDir relative", "metadataDir: {dir}/data", "metadataDir: data/metadata", "'paths.metadataDir' is 'data/metadata'", "absolute");
        yield return Doc("metadataDir with a control character", "metadataDir: {dir}/data", "metadataDir: \"/data/meta\\u0001data\"", "'paths.metadataDir'");
        yield return Doc("metadataDir a list", "metadataDir: {dir}/data", "metadataDir: [/data]", "'paths.metadataDir' must be a string");
        yield return Doc("a non-text mapping key at the top", "version: 1\n", "version: 1\n? [a, b]\n: 1\n", "key", "not text");
        yield return Doc("a mapping as a key", "version: 1\n", "version: 1\n{x: 1}: 2\n", "key", "not text");
        yield return Doc("a non-text key in ports", "http: 9874 }", "http: 9874, [1]: 2 }", "'ports'", "not text");
        yield return Doc("an unknown key in timeouts", "decommission: 600 }", "decommission: 600, comand: 5 }", "'timeouts.comand' is not a field");
        yield return Doc("an unknown key in a node", "  - id: \"ozone-om-0\"\n", "  - id: \"ozone-om-0\"\n    ip: 1.2.3.4\n", "'nodes[0].ip' is not a field");
        yield return Doc("previousReplicas 99999 (would probe 99,999 hosts)", "previousReplicas: 3", "previousReplicas: 99999", "'previousReplicas' is 99999", "99");
        yield return Doc("previousReplicas 100", "previousReplicas: 3", "previousReplicas: 100", "'previousReplicas' is 100");
        yield return Doc("previousReplicas negative", "previousReplicas: 3", "previousReplicas: -1", "'previousReplicas' is -1");
        yield return Doc("replicas 100", "replicas: 3", "replicas: 100", "'replicas' is 100", "99 or fewer");
        yield return Doc("replicas 0", "replicas: 3", "replicas: 0", "'replicas' is 0");
        yield return Doc("replicas beyond a whole number", "replicas: 3", "replicas: 1e99", "'replicas' is '1e99'", "whole number");
        yield return DocText("60,000 unknown keys (200,000 would exceed the size cap)", s =>
        {
            var text = new StringBuilder(s.ValidDocument());
            for (var i = 0; i < 60_000; i++) text.Append("k").Append(i).Append(": 1\n");
            return text.ToString();
        }, "'k0' is not a field", "and 59997 more");
        yield return Doc("a key given twice", "replicas: 3\n", "replicas: 3\nreplicas: 5\n", "'replicas'", "more than once");
        yield return Doc("an undefined alias", "replicas: 3", "replicas: *three", "not valid YAML");
        yield return DocText("aliases nested nine deep (billion laughs)", s =>
        {
            var text = new StringBuilder(s.ValidDocument()).Append("lol: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
            for (var i = 1; i < 9; i++) text.Append($"lol{i}: &a{i} [").Append(string.Join(", ", Enumerable.Repeat($"*a{i - 1}", 10))).Append("]\n");
            return text.ToString();
        }, "'lol' is not a field");
        yield return DocText("two documents", s => s.ValidDocument() + "---\n" + s.ValidDocument(), "one YAML mapping");
        yield return DocText("a list instead of a mapping", _ => "- version: 1\n", "one YAML mapping");
        yield return DocText("an empty document", _ => "", "is empty");
        yield return DocText("only a comment", _ => "# nothing\n", "one YAML mapping");
        yield return Doc("version 2", "version: 1", "version: 2", "'version' is 2");
        yield return Doc("a service id with shell characters", "serviceId: ozone", "serviceId: \"ozone;rm -rf /\"", "'serviceId' is 'ozone;rm -rf /'", "DNS label");
        yield return Doc("a port beyond 65535", "rpc: 9862", "rpc: 70000", "'ports.rpc' is 70000");
        yield return Doc("the same port twice", "ratis: 9872", "ratis: 9862", "'ports'", "distinct");
        yield return Doc("a hostPattern without {id} or {ordinal}", "hostPattern: \"127.9.{ordinal}.1\"", "hostPattern: \"om.example\"", "'hostPattern'");
        yield return Doc("a host that is not a host name", "host: \"127.9.0.1\"", "host: \"127.9.0.1; reboot\"", "'nodes[0].host'");
    }

    private static IEnumerable<BadInputCase> Kubernetes()
    {
        const string k = "kubernetes";
        string[] scaleIn = ["scale-in", "--replicas", "1"];
        yield return new(k, "kubeconfig missing", Status, Refused, "OM_LIFECYCLE_KUBECONFIG", "kubeconfig")
        {
            Env = new Dictionary<string, string> { ["OM_LIFECYCLE_KUBECONFIG"] = "{dir}/absent-kubeconfig" },
        };
        yield return new(k, "kubeconfig garbage", Status, Refused, "OM_LIFECYCLE_KUBECONFIG", "kubeconfig")
        {
            Env = new Dictionary<string, string> { ["OM_LIFECYCLE_KUBECONFIG"] = "{dir}/garbage" },
            Arrange = s => File.WriteAllText(s.Combine("garbage"), "{{{ not: [a kubeconfig\n\t"),
        };
        yield return new(k, "kubeconfig without a current context", Status, Refused, "OM_LIFECYCLE_KUBECONFIG")
        {
            Env = new Dictionary<string, string> { ["OM_LIFECYCLE_KUBECONFIG"] = "{dir}/empty-kubeconfig" },
            Arrange = s => File.WriteAllText(s.Combine("empty-kubeconfig"), "apiVersion: v1\nkind: Config\n"),
        };
        yield return new(k, "kubeconfig is a directory", Status, Refused, "OM_LIFECYCLE_KUBECONFIG")
        {
            Env = new Dictionary<string, string> { ["OM_LIFECYCLE_KUBECONFIG"] = "{dir}/conf" },
        };
        yield return new(k, "kubeconfig is /dev/zero", Status, Refused, "OM_LIFECYCLE_KUBECONFIG", "not a regular file")
        {
            Env = new Dictionary<string, string> { ["OM_LIFECYCLE_KUBECONFIG"] = "/dev/zero" },
        };
        yield return new(k, "API down", scaleIn, KubernetesFailed, "Kubernetes API", "127.0.0.1:1") { Api = Api.Down };
        yield return new(k, "API answers an HTML page", scaleIn, KubernetesFailed, "Kubernetes API", "not") { Api = Api.Html };
        yield return new(k, "API answers 404 with HTML", scaleIn, KubernetesFailed, "Kubernetes API", "404") { Api = Api.NotFoundHtml };
        yield return new(k, "API answers 500", scaleIn, KubernetesFailed, "Kubernetes API", "500") { Api = Api.ServerError };
        yield return new(k, "status while the API answers 500", Status, KubernetesFailed, "Kubernetes API", "500") { Api = Api.ServerError };
        yield return new(k, "POD_NAMESPACE with a path", scaleIn, Refused, "POD_NAMESPACE", "DNS label")
        {
            Api = Api.Fake,
            Env = new Dictionary<string, string> { ["POD_NAMESPACE"] = "default/secrets?x=" },
        };
        yield return new(k, "POD_NAMESPACE with dots", scaleIn, Refused, "POD_NAMESPACE is '..'")
        {
            Api = Api.Fake,
            Env = new Dictionary<string, string> { ["POD_NAMESPACE"] = ".." },
        };
        yield return new(k, "POD_NAMESPACE upper case", Status, Refused, "POD_NAMESPACE is 'Default'")
        {
            Env = new Dictionary<string, string> { ["POD_NAMESPACE"] = "Default" },
        };
        yield return new(k, "POD_NAMESPACE of 64 characters", Status, Refused, "POD_NAMESPACE")
        {
            Env = new Dictionary<string, string> { ["POD_NAMESPACE"] = new string('a', 64) },
        };
        yield return new(k, "scale-in --replicas 99999", ["scale-in", "--replicas", "99999"], Refused, "--replicas is 99999", "99") { Api = Api.Fake };
        yield return new(k, "scale-in --replicas 100", ["scale-in", "--replicas", "100"], Refused, "--replicas is 100") { Api = Api.Fake };
        yield return new(k, "scale-in --replicas 0", ["scale-in", "--replicas", "0"], Refused, "--replicas is 0") { Api = Api.Fake };
        yield return new(k, "scale-in --replicas -3", ["scale-in", "--replicas", "-3"], Refused, "--replicas is -3") { Api = Api.Fake };
        yield return new(k, "transfer-leader --replicas 99999", ["transfer-leader", "--replicas", "99999", "--if-nodes-leave"], Refused, "--replicas is 99999") { Api = Api.Fake };
        yield return new(k, "decommission of an ordinal far beyond the ring", ["decommission", "--node", "ozone-om-9999"], Refused, "'ozone-om-9999' is not an OM of this ring") { Api = Api.Fake };
    }

    private static IEnumerable<BadInputCase> CommandLine()
    {
        const string c = "command line";
        yield return new(c, "an unknown command", ["frobnicate"], Usage, "--help");
        yield return new(c, "--replicas beyond a whole number", ["scale-in", "--replicas", "2147483648"], Usage, "--help");
        yield return new(c, "wipe of a node id with shell characters", ["wipe", "--node", "ozone-om-0;reboot"], Refused, "'ozone-om-0;reboot' is not an OM");
        yield return new(c, "transfer-leader --to a path", ["transfer-leader", "--to", "../ozone-om-0"], Refused, "'../ozone-om-0' is not an OM") { Api = Api.Fake };
        yield return new(c, "start of a pod that is not an OM", ["start", "--", "/bin/true"], Refused, "not an OM")
        {
            Env = new Dictionary<string, string> { ["POD_NAME"] = "../../etc" },
        };
    }
}
