namespace OmLifecycle.Tests.BadInput;

/// <summary>A hostile or broken environment, and a command run in a pod it was not made for.</summary>
public static partial class BadInputCorpus
{
    private const string Forged = "\n{\"level\":\"info\",\"event\":\"forged\"}";

    private static Dictionary<string, string> Pod(string name) => new() { ["POD_NAME"] = name };

    private static IEnumerable<BadInputCase> Environment()
    {
        const string e = "environment";
        yield return new(e, "POD_NAME with an ANSI escape", ["start", "--", "/bin/true"], Refused, "not an OM", "\\u001b") { Env = Pod("\u001b[31mozone-om-0"), Arrange = FirstInstall };
        yield return new(e, "POD_NAME with a forged log line", ["probe", "started"], Refused, "not an OM") { Env = Pod("ozone-om-0" + Forged), MustNotSay = [Forged] };
        yield return new(e, "POD_NAME of 100 KB", ["start", "--", "/bin/true"], Refused, "not an OM") { Env = Pod(new string('x', 100_000)), Arrange = FirstInstall };
        yield return new(e, "neither POD_NAME nor HOSTNAME", ["start", "--", "/bin/true"], Refused, "POD_NAME", "metadata.name") { Arrange = FirstInstall };
        yield return new(e, "HOSTNAME of another pod and no POD_NAME", ["probe", "started"], Refused, "'web-0'", "not an OM")
        {
            Env = new Dictionary<string, string> { ["HOSTNAME"] = "web-0" },
        };
        yield return new(e, "POD_NAMESPACE with an ANSI escape", Status, Refused, "POD_NAMESPACE", "\\u001b") { Env = new Dictionary<string, string> { ["POD_NAMESPACE"] = "\u001b[2Jdefault" } };
        yield return new(e, "POD_NAMESPACE with a newline", Status, Refused, "POD_NAMESPACE") { Env = new Dictionary<string, string> { ["POD_NAMESPACE"] = "default" + Forged }, MustNotSay = [Forged] };
        yield return new(e, "OZONE_CONF_DIR relative", ["start", "--", "/bin/true"], Refused, "OZONE_CONF_DIR", "absolute")
        {
            Env = new Dictionary<string, string> { ["OZONE_CONF_DIR"] = "conf-here", ["POD_NAME"] = "ozone-om-0" },
            Arrange = FirstInstall,
        };
        yield return new(e, "OM_LIFECYCLE_MEMBERSHIP unset to an empty value (the default path is absent)", Status, Refused, "membership document", "--membership")
        {
            Env = new Dictionary<string, string> { ["OM_LIFECYCLE_MEMBERSHIP"] = "" },
        };
        yield return new(e, "OM_LIFECYCLE_KUBECONFIG with an ANSI escape in the path", Status, Refused, "OM_LIFECYCLE_KUBECONFIG", "\\u001b")
        {
            Env = new Dictionary<string, string> { ["OM_LIFECYCLE_KUBECONFIG"] = "{dir}/\u001b[31mkubeconfig" },
        };
        yield return new(e, "start -- a missing OM command", ["start", "--", "/nonexistent/ozone"], Refused, "/nonexistent/ozone")
        {
            Env = Pod("ozone-om-0"),
            Arrange = FirstInstall,
            MustNotSay = ["OZONE_BIN"],
        };
        yield return new(e, "start -- an OM command that is a directory", ["start", "--", "{dir}/conf"], Refused, "not an executable")
        {
            Env = Pod("ozone-om-0"),
            Arrange = FirstInstall,
        };
        yield return new(e, "start -- an OM command not on PATH", ["start", "--", "no-such-ozone-binary", "om"], Refused, "no-such-ozone-binary", "PATH")
        {
            Env = Pod("ozone-om-0"),
            Arrange = FirstInstall,
        };
        yield return new(e, "wipe on a corrupt marker does not suggest wipe", ["wipe", "--node", "ozone-om-0"], Refused, "corrupt", "om-lifecycle.marker")
        {
            Arrange = s =>
            {
                Directory.CreateDirectory(s.DataDir);
                File.WriteAllText(Path.Combine(s.DataDir, "om-lifecycle.marker"), "{ not json");
            },
            MustNotSay = ["'om-lifecycle wipe'"],
        };
    }

    private static IEnumerable<BadInputCase> WrongPod()
    {
        const string w = "wrong pod";
        yield return new(w, "start in an SCM pod", ["start", "--", "/bin/true"], Refused, "'ozone-scm-0'", "not an OM") { Env = Pod("ozone-scm-0"), Arrange = FirstInstall };
        yield return new(w, "start in an OM pod of another release", ["start", "--", "/bin/true"], Refused, "'other-om-0'", "not an OM") { Env = Pod("other-om-0"), Arrange = FirstInstall };
        yield return new(w, "start in a hook Job's pod", ["start", "--", "/bin/true"], Refused, "not an OM") { Env = Pod("ozone-om-scale-in-x7k2p"), Arrange = FirstInstall };
        yield return new(w, "start with an ordinal with a leading zero", ["start", "--", "/bin/true"], Refused, "not an OM") { Env = Pod("ozone-om-01"), Arrange = FirstInstall };
        yield return new(w, "start with an ordinal beyond 99", ["start", "--", "/bin/true"], Refused, "not an OM") { Env = Pod("ozone-om-100"), Arrange = FirstInstall };
        yield return new(w, "probe ready in a hook Job's pod", ["probe", "ready"], Refused, "not an OM") { Env = Pod("ozone-om-pre-upgrade-abcde") };
        yield return new(w, "probe started in a DataNode pod", ["probe", "started"], Refused, "not an OM") { Env = Pod("ozone-datanode-0") };
        yield return new(w, "preStop transfer-leader in a hook Job's pod", ["transfer-leader", "--away-from-self"], Refused, "not an OM") { Env = Pod("ozone-om-scale-in-x7k2p") };
        yield return new(w, "preStop transfer-leader outside any pod", ["transfer-leader", "--away-from-self"], Refused, "POD_NAME");
        yield return new(w, "status in a pod of another release lists no volume", Status, Done, "'other-om-1'", "not an OM of this ring") { Env = Pod("other-om-1") };
        yield return new(w, "wipe of this OM's own volume from inside its running container", ["wipe", "--node", "ozone-om-1"], Refused, "own", "ozone-om-1")
        {
            Env = Pod("ozone-om-1"),
            Arrange = s => { Directory.CreateDirectory(Path.Combine(s.DataDir, "om")); File.WriteAllText(Path.Combine(s.DataDir, "om", "data"), "x"); },
        };
        yield return new(w, "wipe of another node's id on this OM's mounted volume", ["wipe", "--node", "ozone-om-2"], Refused, "ozone-om-1")
        {
            Env = Pod("ozone-om-1"),
            Arrange = s => { Directory.CreateDirectory(Path.Combine(s.DataDir, "om")); File.WriteAllText(Path.Combine(s.DataDir, "om", "data"), "x"); },
        };
    }
}
