using System.Text;

namespace OmLifecycle.Tests.BadInput;

/// <summary>More of each class of issue 10: the examples it names that the first corpus did not hold, and their neighbours.</summary>
public static partial class BadInputCorpus
{
    private static void ReadOnly(string path) => Sandbox.SetMode(path, (UnixFileMode)0b101_101_101);

    private static void Symlink(Sandbox s, string name, string target) => File.CreateSymbolicLink(s.Combine(name), target);

    private static IEnumerable<BadInputCase> HostileFiles()
    {
        const string fs = "filesystem";
        yield return new(fs, "install --to a read-only directory as a non-root user", ["install", "--to", "{dir}/ro"], Refused, "--to", "writable", "Nothing was installed")
        {
            Arrange = s => { Directory.CreateDirectory(s.Combine("ro")); ReadOnly(s.Combine("ro")); },
            AsNobody = true,
        };
        yield return new(fs, "install --to /proc/self (a directory nobody can create files in)", ["install", "--to", "/proc/self"], Refused, "--to '/proc/self'", "writable") { Untouched = ["/proc/self"] };
        yield return new(fs, "install --to a dir where om-lifecycle is a non-empty directory", ["install", "--to", "{dir}/opt"], Refused, "is a directory", "remove it")
        {
            Arrange = s => { Directory.CreateDirectory(s.Combine("opt/om-lifecycle/bin")); File.WriteAllText(s.Combine("opt/om-lifecycle/bin/x"), "x"); },
        };
        yield return new(fs, "install --to a symlink to /proc", ["install", "--to", "{dir}/to-proc"], Refused, "writable")
        {
            Arrange = s => Symlink(s, "to-proc", "/proc"),
            Untouched = ["/proc"],
        };
        yield return new(fs, "OZONE_CONF_DIR read-only for a non-root user", ["start", "--", "/bin/true"], Refused, "OZONE_CONF_DIR", "writable directory")
        {
            Env = new Dictionary<string, string> { ["POD_NAME"] = "ozone-om-0" },
            Arrange = s => { FirstInstall(s); ReadOnly(s.ConfDir); },
            AsNobody = true,
        };
        yield return new(fs, "--membership unreadable by a non-root user", ["status", "--membership", "{dir}/secret.yaml"], Refused, "Cannot read the membership document", "--membership")
        {
            Arrange = s => { File.WriteAllText(s.Combine("secret.yaml"), s.ValidDocument()); Sandbox.SetMode(s.Combine("secret.yaml"), UnixFileMode.None); },
            AsNobody = true,
        };
        yield return new(fs, "OM_LIFECYCLE_MEMBERSHIP is a FIFO", Status, Refused, "not a regular file")
        {
            Env = new Dictionary<string, string> { ["OM_LIFECYCLE_MEMBERSHIP"] = "{dir}/fifo" },
            Arrange = s => s.MakeFifo("fifo"),
        };
        yield return new(fs, "--membership a symlink to /dev/zero", ["status", "--membership", "{dir}/zero.yaml"], Refused, "not a regular file")
        {
            Arrange = s => Symlink(s, "zero.yaml", "/dev/zero"),
        };
        yield return new(fs, "--membership a symlink to a FIFO", ["status", "--membership", "{dir}/pipe.yaml"], Refused, "not a regular file")
        {
            Arrange = s => { s.MakeFifo("fifo"); Symlink(s, "pipe.yaml", s.Combine("fifo")); },
        };
        yield return new(fs, "--membership a symlink loop", ["status", "--membership", "{dir}/loop.yaml"], Refused, "membership document", "--membership")
        {
            Arrange = s => { Symlink(s, "loop.yaml", s.Combine("loop2.yaml")); Symlink(s, "loop2.yaml", s.Combine("loop.yaml")); },
        };
        yield return new(fs, "--membership a path of 5,000 characters", ["status", "--membership", "/" + new string('m', 5_000)], Refused, "membership document");
        yield return new(fs, "--membership /dev/stdin", ["status", "--membership", "/dev/stdin"], Refused, "not a regular file");
        yield return new(fs, "--membership /proc/self/mem", ["status", "--membership", "/proc/self/mem"], Refused, "not a regular file");
        yield return new(fs, "the kubeconfig is a FIFO", Status, Refused, "OM_LIFECYCLE_KUBECONFIG", "not a regular file")
        {
            Env = new Dictionary<string, string> { ["OM_LIFECYCLE_KUBECONFIG"] = "{dir}/fifo" },
            Arrange = s => s.MakeFifo("fifo"),
        };
        yield return new(fs, "the kubeconfig is larger than any kubeconfig", Status, Refused, "OM_LIFECYCLE_KUBECONFIG", "larger than")
        {
            Env = new Dictionary<string, string> { ["OM_LIFECYCLE_KUBECONFIG"] = "{dir}/big" },
            Arrange = s => File.WriteAllText(s.Combine("big"), "# " + new string('k', 3 * 1024 * 1024) + "\n"),
        };
    }

    private static IEnumerable<BadInputCase> HostileDocuments()
    {
        yield return DocText("10,000 nodes", s =>
        {
            var text = new StringBuilder(s.ValidDocument().Replace("nodes:\n", "nodes:\n", StringComparison.Ordinal));
            var at = text.ToString().IndexOf("nodes:\n", StringComparison.Ordinal) + "nodes:\n".Length;
            var many = new StringBuilder();
            for (var i = 3; i < 10_000; i++) many.Append($"  - id: \"ozone-om-{i}\"\n    host: \"127.9.0.1\"\n");
            return text.Insert(at, many.ToString()).ToString();
        }, "'nodes'");
        yield return Doc("a node id with an ANSI escape", "  - id: \"ozone-om-0\"", "  - id: \"\\e[31mozone-om-0\"", "'nodes[0].id'", "\\u001b");
        yield return Doc("a node id with a newline", "  - id: \"ozone-om-0\"", "  - id: \"ozone-om-0\\n{\\\"forged\\\":1}\"", "'nodes[0].id'");
        yield return Doc("an unknown key with an ANSI escape", "version: 1\n", "version: 1\n\"\\e[2Jboom\": 1\n", "is not a field", "\\u001b");
        // YAML 1.2 limits an implicit key to 1024 characters, so a 100 KB key is refused as not YAML (and not echoed).
        yield return Doc("an unknown key of 100 KB", "version: 1\n", "version: 1\n" + new string('k', 100_000) + ": 1\n", "not valid YAML") with { MustNotSay = [new string('k', 2_000)] };
        yield return Doc("a NUL character", "version: 1\n", "version: 1\nserviceId2: \"a\\0b\"\n", "'serviceId2' is not a field");
        yield return DocText("tab indentation", s => s.ValidDocument().Replace("  - id:", "\t- id:", StringComparison.Ordinal), "not valid YAML");
        yield return Doc("replicas true", "replicas: 3", "replicas: true", "'replicas'");
        yield return Doc("replicas a string", "replicas: 3", "replicas: three", "'replicas'");
        yield return Doc("replicas null", "replicas: 3", "replicas: null", "'replicas'");
        yield return Doc("timeouts.command text", $"command: {Sandbox.CommandTimeoutSeconds}", "command: soon", "'timeouts.command'");
        yield return Doc("serviceId of 64 characters", "serviceId: ozone", "serviceId: " + new string('o', 64), "'serviceId'");
        yield return Doc("serviceId empty", "serviceId: ozone", "serviceId: \"\"", "'serviceId'");
        yield return Doc("serviceId upper case", "serviceId: ozone", "serviceId: Ozone", "'serviceId' is 'Ozone'");
        yield return Doc("namespace with a slash", "namespace: default", "namespace: \"default/secrets\"", "'namespace'");
        yield return Doc("statefulSet with a path", "statefulSet: ozone-om", "statefulSet: \"../secrets\"", "'statefulSet'");
        yield return Doc("ringConfigMap with a query", "ringConfigMap: ozone-om-ring", "ringConfigMap: \"ring?watch=1\"", "'ringConfigMap'");
        yield return Doc("a binary tag on serviceId", "serviceId: ozone", "serviceId: !!binary b3pvbmU=", "'serviceId'");
        yield return Doc("a port 0", "rpc: 9862", "rpc: 0", "'ports.rpc' is 0");
        yield return Doc("a port as text", "rpc: 9862", "rpc: http", "'ports.rpc'");
        yield return Doc("ports missing http", ", http: 9874", "", "'ports.http'");
        yield return Doc("joining names a node outside the ring", "joining: []", "joining: [\"web-0\"]", "'joining'");
        yield return Doc("leaving with an ANSI escape", "leaving: []", "leaving: [\"\\e[1mozone-om-2\"]", "'leaving", "\\u001b");
        yield return Doc("the whole document as a scalar", "version: 1\n", "version: 1\n...\n--- just text\n", "not valid YAML");
        yield return Doc("a merge key", "version: 1\n", "version: 1\n<<: {replicas: 9}\n", "'<<' is not a field");
        // Over the 1 MiB cap as a whole, so refused by size before it is parsed.
        yield return DocText("one line of 1 MiB", _ => "version: 1\nserviceId: " + new string('o', 1 << 20) + "\n", "larger than");
        yield return DocText("a document that is only a NUL byte", _ => "\0", "membership");
        yield return DocText("a UTF-16 document", s => Encoding.Latin1.GetString(Encoding.Unicode.GetBytes(s.ValidDocument())), "membership");
    }

    private static IEnumerable<BadInputCase> HostileApis()
    {
        const string k = "kubernetes";
        string[] scaleIn = ["scale-in", "--replicas", "1"];
        yield return new(k, "API accepts and never answers", scaleIn, KubernetesFailed, "Kubernetes API") { Api = Api.Stall };
        yield return new(k, "API answers 403 (no Role)", scaleIn, KubernetesFailed, "403", "Role") { Api = Api.Forbidden };
        yield return new(k, "status while the API never answers", Status, KubernetesFailed, "Kubernetes API") { Api = Api.Stall };
        yield return new(k, "decommission while the API answers 500", ["decommission", "--node", "ozone-om-3"], KubernetesFailed, "500") { Api = Api.ServerError };
        yield return new(k, "wipe while the API answers an HTML page", ["wipe", "--node", "ozone-om-3"], KubernetesFailed, "Kubernetes API") { Api = Api.Html };
        yield return new(k, "kubeconfig with a server that is not a URL", Status, Refused, "OM_LIFECYCLE_KUBECONFIG")
        {
            Env = new Dictionary<string, string> { ["OM_LIFECYCLE_KUBECONFIG"] = "{dir}/badurl" },
            Arrange = s => File.WriteAllText(s.Combine("badurl"), "apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: \"::not a url::\"}}]\nusers: [{name: u, user: {token: t}}]\ncontexts: [{name: c, context: {cluster: c, user: u}}]\ncurrent-context: c\n"),
        };
        yield return new(k, "kubeconfig naming a missing context", Status, Refused, "OM_LIFECYCLE_KUBECONFIG")
        {
            Env = new Dictionary<string, string> { ["OM_LIFECYCLE_KUBECONFIG"] = "{dir}/nocontext" },
            Arrange = s => File.WriteAllText(s.Combine("nocontext"), "apiVersion: v1\nkind: Config\ncurrent-context: gone\n"),
        };
        yield return new(k, "kubeconfig nested 100,000 deep", Status, Refused, "OM_LIFECYCLE_KUBECONFIG")
        {
            Env = new Dictionary<string, string> { ["OM_LIFECYCLE_KUBECONFIG"] = "{dir}/deep" },
            Arrange = s => File.WriteAllText(s.Combine("deep"), "clusters: " + new string('[', 100_000) + new string(']', 100_000) + "\n"),
        };
        yield return new(k, "scale-in --replicas 99999 writes no ring record", ["scale-in", "--replicas", "99999"], Refused, "--replicas is 99999", "nothing was changed") { Api = Api.Fake };
        yield return new(k, "transfer-leader --replicas 0 with the hook flag", ["transfer-leader", "--replicas", "0", "--if-nodes-leave"], Refused, "--replicas is 0") { Api = Api.Fake };
        yield return new(k, "decommission of a node id with an ANSI escape", ["decommission", "--node", "\u001b[31mozone-om-2"], Refused, "is not an OM", "\\u001b") { Api = Api.Fake };
    }

    private static IEnumerable<BadInputCase> HostileCommandLines()
    {
        const string c = "command line";
        yield return new(c, "--away-from-self with --to", ["transfer-leader", "--away-from-self", "--to", "ozone-om-1"], Usage, "--away-from-self", "--to");
        yield return new(c, "--away-from-self with --if-nodes-leave", ["transfer-leader", "--away-from-self", "--if-nodes-leave"], Usage, "--away-from-self", "--if-nodes-leave");
        yield return new(c, "--to with --if-nodes-leave", ["transfer-leader", "--to", "ozone-om-1", "--if-nodes-leave"], Usage, "--to", "--if-nodes-leave");
        yield return new(c, "a --node of 120 KB", ["wipe", "--node", new string('n', 120_000)], Refused, "is not an OM");
        yield return new(c, "a --node with a forged log line", ["wipe", "--node", "ozone-om-0" + Forged], Refused, "is not an OM") { MustNotSay = [Forged] };
        yield return new(c, "a --node with an ANSI escape", ["wipe", "--node", "\u001b[2Jozone-om-0"], Refused, "is not an OM", "\\u001b");
        yield return new(c, "a --to with an ANSI escape", ["transfer-leader", "--to", "\u001b]0;pwned\u0007ozone-om-1"], Refused, "is not an OM", "\\u001b");
        yield return new(c, "a --to of 120 KB", ["transfer-leader", "--to", new string('t', 120_000)], Refused, "is not an OM");
        yield return new(c, "a --node in upper case", ["decommission", "--node", "OZONE-OM-1"], Refused, "'OZONE-OM-1' is not an OM");
        yield return new(c, "an empty --node", ["wipe", "--node", ""], Refused, "is not an OM");
        yield return new(c, "transfer-leader with no OM reachable and no Kubernetes is not a first install", ["transfer-leader"], DeadlinePassed, "No OM answers as leader") { MustNotSay = ["first install"] };
        yield return new(c, "transfer-leader --to with no OM reachable", ["transfer-leader", "--to", "ozone-om-1"], DeadlinePassed, "No OM answers as leader") { MustNotSay = ["first install"] };
        yield return new(c, "probe of an unknown kind", ["probe", "banana"], Usage, "banana", "--help");
        yield return new(c, "status --output yaml", ["status", "--output", "yaml"], Usage, "yaml", "--help");
        yield return new(c, "start without an OM command", ["start"], Usage, "--help");
        yield return new(c, "--replicas not a number", ["scale-in", "--replicas", "abc"], Usage, "abc", "--help");
        yield return new(c, "--replicas without a value", ["scale-in", "--replicas"], Usage, "--replicas", "--help");
        yield return new(c, "decommission without --node", ["decommission"], Usage, "--node", "--help");
        yield return new(c, "install without --to", ["install"], Usage, "--to", "--help");
        yield return new(c, "an unknown option", ["status", "--force"], Usage, "--force", "--help");
        yield return new(c, "an unknown command with an ANSI escape", ["\u001b[31mfrobnicate"], Usage, "--help");
        yield return new(c, "--replicas given twice", ["scale-in", "--replicas", "1", "--replicas", "2"], Usage, "--help");
    }
}
