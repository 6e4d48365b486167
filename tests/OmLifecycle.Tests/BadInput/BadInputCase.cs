namespace OmLifecycle.Tests.BadInput;

/// <summary>The kind of Kubernetes API a case talks to (through OM_LIFECYCLE_KUBECONFIG).</summary>
public enum Api
{
    /// <summary>No kubeconfig: om-lifecycle runs as outside a pod.</summary>
    None,

    /// <summary>The loopback fake API server (tests/FakeKubeApi) with the OM StatefulSet at 3 replicas.</summary>
    Fake,

    /// <summary>A kubeconfig whose server refuses connections.</summary>
    Down,

    /// <summary>A web server that answers every request 200 with an HTML page (a proxy's login page).</summary>
    Html,

    /// <summary>A web server that answers every request 404 with an HTML page (a wrong server URL).</summary>
    NotFoundHtml,

    /// <summary>A server that answers every request 500 Internal Server Error.</summary>
    ServerError,

    /// <summary>A server that accepts connections and never answers (a hung API server or proxy).</summary>
    Stall,

    /// <summary>A server that answers 403 with a Kubernetes Status (the ServiceAccount lacks a Role).</summary>
    Forbidden,
}

/// <summary>
/// One hostile input: the command line, environment and files a user (or a broken chart value)
/// gives om-lifecycle, and what a clean refusal looks like: the exit code and the fragments of the
/// message that name the field and the fix. Placeholders in arguments and environment values:
/// {dir} is the case's sandbox directory, {membership} a valid membership document in it.
/// </summary>
public sealed record BadInputCase(string Class, string Name, string[] Args, int Exit, params string[] Says)
{
    public IReadOnlyDictionary<string, string> Env { get; init; } = new Dictionary<string, string>();

    /// <summary>Sets up files in the sandbox before the run (the document, a FIFO, a directory in the way).</summary>
    public Action<Sandbox>? Arrange { get; init; }

    public Api Api { get; init; } = Api.None;

    /// <summary>Directories outside the sandbox that must not gain an om-lifecycle file (install targets).</summary>
    public string[] Untouched { get; init; } = [];

    /// <summary>When set, ozone-om-0's HTTP port is a fake OM answering this way (the document points node 0 at it).</summary>
    public OmHttpMode? Jmx { get; init; }

    /// <summary>The raw response of <see cref="OmHttpMode.Raw"/>.</summary>
    public byte[] JmxAnswer { get; init; } = [];

    /// <summary>Run as an unprivileged user (uid 65534 through setpriv when the tests run as root), so that file modes bind.</summary>
    public bool AsNobody { get; init; }

    /// <summary>Text the output must not contain (a forged log line, a value that must not be believed).</summary>
    public string[] MustNotSay { get; init; } = [];

    public override string ToString() => $"{Class}: {Name}";
}
