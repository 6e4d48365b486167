using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;

namespace FakeKubeApi;

/// <summary>
/// A Kubernetes API server on 127.0.0.1 for tests: discovery, GET/LIST, and (unless read-only)
/// create, replace, merge/JSON patch, delete, and the scale and status subresources (writes to the
/// main resource keep the status and count the generation, as the API server's update strategy does). Helm's `lookup` under
/// `--dry-run=server` and KubernetesClient both talk to it as to a real API server.
/// </summary>
public sealed class FakeKubeApiServer : IDisposable
{
    private readonly HttpListener listener = new();
    private readonly List<string> requests = [];

    public FakeKubeApiServer(bool readOnly = false)
    {
        ReadOnly = readOnly;
        Port = FreePort();
        Url = $"http://127.0.0.1:{Port}";
        listener.Prefixes.Add(Url + "/");
        listener.Start();
        _ = Task.Run(ServeAsync);
    }

    public ObjectStore Store { get; } = new();

    public bool ReadOnly { get; }

    public int Port { get; }

    public string Url { get; }

    /// <summary>Requests ("VERB path") this predicate matches are answered 403 Forbidden, as RBAC would.</summary>
    public Func<string, bool>? Forbid { get; set; }

    /// <summary>
    /// While set, every request fails as during an API server outage or overload: 503 with a
    /// Status body (an apiserver that is restarting or behind a load balancer without backends),
    /// 429 with Retry-After (API Priority and Fairness rejecting the request), or the connection
    /// dropped without an answer. Discovery and /version fail too: nothing answers.
    /// </summary>
    public ApiOutage? Outage { get; set; }

    /// <summary>
    /// Faults for chosen requests (<see cref="ApiFault"/>): the first that takes a request fails it.
    /// Checked before authorization, as an overloaded or restarting server fails before it authorizes.
    /// </summary>
    public void AddFault(ApiFault fault)
    {
        lock (faults) faults.Add(fault);
    }

    public void ClearFaults()
    {
        lock (faults) faults.Clear();
    }

    private readonly List<ApiFault> faults = [];

    /// <summary>
    /// When set, a caller whose bearer token names a service account (<see cref="ServiceAccount.Token"/>)
    /// gets only what the Roles and ClusterRoles bound to it allow (<see cref="RbacAuthorizer"/>);
    /// anything else is 403 Forbidden with the API server's Status body. Other callers (Helm, the
    /// twin, tests: the kubeconfig's admin token) are not restricted.
    /// </summary>
    public bool EnforceRbac { get; set; }

    /// <summary>Requests RBAC refused so far, "user: VERB path", for tests and the twin's report.</summary>
    public IReadOnlyList<string> Denied { get { lock (denied) return [.. denied]; } }

    private readonly List<string> denied = [];

    /// <summary>Requests answered with an outage's failure so far.</summary>
    public int FailedRequests => Volatile.Read(ref failedRequests);

    private int failedRequests;

    /// <summary>"VERB path" of every request, for tests that assert what a client asked.</summary>
    public IReadOnlyList<string> Requests { get { lock (requests) return [.. requests]; } }

    /// <summary>
    /// Writes a kubeconfig that points at this server with namespace <paramref name="ns"/>, as the
    /// unrestricted admin, or as <paramref name="serviceAccount"/> (whom RBAC and faults can single out).
    /// </summary>
    public string WriteKubeconfig(string path, string ns = "default", ServiceAccount? serviceAccount = null)
    {
        var token = serviceAccount?.Token ?? "fake-token";
        File.WriteAllText(path, $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: fake
              cluster:
                server: {Url}
            users:
            - name: fake
              user:
                token: {token}
            contexts:
            - name: fake
              context:
                cluster: fake
                user: fake
                namespace: {ns}
            current-context: fake
            """);
        return path;
    }

    public void Dispose() => listener.Close();

    private async Task ServeAsync()
    {
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try { context = await listener.GetContextAsync(); }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException) { return; }
            _ = Task.Run(() => Handle(context));
        }
    }

    private async Task Handle(HttpListenerContext context)
    {
        var request = context.Request;
        var path = request.Url!.AbsolutePath.TrimEnd('/');
        lock (requests) requests.Add($"{request.HttpMethod} {path}");
        string body;
        using (var reader = new StreamReader(request.InputStream, Encoding.UTF8)) body = await reader.ReadToEndAsync();
        var attributes = RequestAttributes.Parse(request.HttpMethod, path, request.QueryString["watch"] is "true" or "1");
        var caller = ServiceAccount.FromToken(BearerToken(request));
        if (Outage is { } outage)
        {
            Interlocked.Increment(ref failedRequests);
            await FailAsync(context, outage switch { ApiOutage.TooManyRequests => ApiFaultKind.TooManyRequests, ApiOutage.DropConnection => ApiFaultKind.DropConnection, _ => ApiFaultKind.Unavailable }, null);
            return;
        }
        ApiFault? fault;
        lock (faults) fault = faults.FirstOrDefault(f => f.Takes(attributes, caller is null ? null : $"{caller.Namespace}:{caller.Name}", DateTimeOffset.UtcNow));
        if (fault is not null)
        {
            Interlocked.Increment(ref failedRequests);
            await FailAsync(context, fault.Kind, fault);
            return;
        }
        var forbidden = EnforceRbac && caller is not null ? new RbacAuthorizer(Store).Check(caller, attributes) : null;
        if (forbidden is not null) lock (denied) denied.Add($"{caller!.UserName}: {request.HttpMethod} {path}");
        var (status, response) = forbidden is not null ? (403, Status(403, "Forbidden", forbidden))
            : Forbid?.Invoke($"{request.HttpMethod} {path}") == true
            ? (403, Status(403, "Forbidden", $"{request.HttpMethod} {path} is forbidden"))
            : Route(request.HttpMethod, path, request.QueryString["labelSelector"], request.QueryString["fieldManager"], request.ContentType, body);
        var bytes = Encoding.UTF8.GetBytes(response.ToJsonString());
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        try
        {
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
        catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or IOException)
        {
        }
    }

    private static string? BearerToken(HttpListenerRequest request) =>
        request.Headers["Authorization"] is { } header && header.StartsWith("Bearer ", StringComparison.Ordinal) ? header["Bearer ".Length..].Trim() : null;

    /// <summary>The longest a hanging request is held when its fault has no end of its own; every client here gives up long before.</summary>
    private static readonly TimeSpan LongestHang = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan HangPoll = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// The connection closes in the middle of the answer. HttpListener cannot close a connection
    /// before the status line (its Abort sends an empty 200 first), so the answer promises a body
    /// it never sends: the client fails with "the response ended prematurely", as on a reset.
    /// </summary>
    private static async Task DropAsync(HttpListenerContext context)
    {
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        context.Response.ContentLength64 = 4096;
        await context.Response.OutputStream.WriteAsync("{\"kind\":"u8.ToArray());
        await context.Response.OutputStream.FlushAsync();
        context.Response.Abort();
    }

    private static async Task FailAsync(HttpListenerContext context, ApiFaultKind kind, ApiFault? fault)
    {
        try
        {
            if (kind == ApiFaultKind.Hang)
            {
                // Held without an answer until the fault's window ends, then dropped: the client's timeout decides what it sees.
                var held = System.Diagnostics.Stopwatch.StartNew();
                while (held.Elapsed < LongestHang && fault?.WindowEnded(DateTimeOffset.UtcNow) != true) await Task.Delay(HangPoll);
                await DropAsync(context);
                return;
            }
            if (kind == ApiFaultKind.DropConnection)
            {
                await DropAsync(context);
                return;
            }
            var (code, reason, message) = kind switch
            {
                ApiFaultKind.TooManyRequests => (429, "TooManyRequests", "Too many requests, please try again later."),
                ApiFaultKind.InternalError => (500, "InternalError", "Internal error occurred: etcdserver: request timed out"),
                _ => (503, "ServiceUnavailable", "the server is currently unable to handle the request"),
            };
            // The apiserver's APF rejection says "Retry-After: 1"; its 500 and 503 carry no Retry-After here.
            if (kind == ApiFaultKind.TooManyRequests) context.Response.AddHeader("Retry-After", "1");
            var bytes = Encoding.UTF8.GetBytes(Status(code, reason, message).ToJsonString());
            context.Response.StatusCode = code;
            context.Response.ContentType = "application/json";
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
        catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or IOException)
        {
        }
    }

    private (int, JsonNode) Route(string method, string path, string? labelSelector, string? fieldManager, string? contentType, string body)
    {
        if (path == "/version")
            return (200, new JsonObject { ["major"] = "1", ["minor"] = "35", ["gitVersion"] = "v1.35.0", ["platform"] = "linux/amd64" });
        if (path == "/api") return (200, new JsonObject { ["kind"] = "APIVersions", ["versions"] = new JsonArray("v1") });
        if (path == "/apis") return (200, Discovery.Groups());
        if (path == "/api/v1") return (200, Discovery.Resources("v1"));
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (parts is ["apis", var g, var v]) return (200, Discovery.Resources($"{g}/{v}"));
        if (path.StartsWith("/openapi", StringComparison.Ordinal)) return (404, Status(404, "NotFound", "openapi is not served"));

        // /api/v1/... or /apis/<group>/<version>/...
        var gv = parts[0] == "api" ? parts[1] : $"{parts[1]}/{parts[2]}";
        var rest = parts[0] == "api" ? parts[2..] : parts[3..];
        string? ns = null;
        if (rest is ["namespaces", var n, _, ..]) { ns = n; rest = rest[2..]; }
        if (rest.Length == 0) return (404, Status(404, "NotFound", path));
        var resource = ApiResource.ByPath(gv, rest[0]);
        if (resource is null) return (404, Status(404, "NotFound", $"the server could not find the requested resource ({path})"));
        var name = rest.Length > 1 ? rest[1] : null;
        var sub = rest.Length > 2 ? rest[2] : null;
        var nsKey = ns ?? "";

        return (method, name, sub) switch
        {
            ("GET", null, _) => (200, ListOf(resource, ns, labelSelector)),
            ("GET", { } nm, null) => Store.Get(resource, nsKey, nm) is { } o ? (200, o) : NotFound(resource, nm),
            ("GET", { } nm, "scale") => Store.Get(resource, nsKey, nm) is { } o ? (200, Scale.Of(o)) : NotFound(resource, nm),
            ("GET", { } nm, "status") => Store.Get(resource, nsKey, nm) is { } o ? (200, o) : NotFound(resource, nm),
            _ when ReadOnly => (405, Status(405, "MethodNotAllowed", "this fake API server is read-only")),
            ("POST", null, _) => Create(resource, nsKey, body),
            ("PUT", { } nm, null) => Replace(resource, nsKey, nm, body),
            ("PATCH", { } nm, null) => Patch(resource, nsKey, nm, contentType, body, fieldManager),
            ("PATCH" or "PUT", { } nm, "scale") => Scale.Apply(Store, resource, nsKey, nm, contentType, body, fieldManager),
            ("PATCH" or "PUT", { } nm, "status") when resource.Subresources?.Contains("status") == true => WriteStatus(resource, nsKey, nm, method, contentType, body),
            ("DELETE", { } nm, _) => Store.Delete(resource, nsKey, nm) ? (200, Status(200, "Success", "deleted")) : NotFound(resource, nm),
            _ => (405, Status(405, "MethodNotAllowed", $"{method} {path}")),
        };
    }

    private JsonObject ListOf(ApiResource resource, string? ns, string? labelSelector)
    {
        var items = new JsonArray();
        foreach (var o in Store.List(resource, ns, o => Labels.Match(o, labelSelector))) items.Add(o);
        return new JsonObject { ["apiVersion"] = resource.ApiVersion, ["kind"] = resource.Kind + "List", ["metadata"] = new JsonObject { ["resourceVersion"] = "1" }, ["items"] = items };
    }

    private (int, JsonNode) Create(ApiResource resource, string ns, string body)
    {
        var obj = JsonNode.Parse(body)!.AsObject();
        var name = obj["metadata"]?["name"]?.GetValue<string>() ?? "";
        if (Store.Get(resource, ns, name) is not null) return (409, Status(409, "AlreadyExists", $"{resource.Plural} \"{name}\" already exists"));
        return (201, Store.Write(resource, ns, obj));
    }

    private (int, JsonNode) Replace(ApiResource resource, string ns, string name, string body)
    {
        var obj = JsonNode.Parse(body)!.AsObject();
        var current = Store.Get(resource, ns, name);
        if (current is null) return NotFound(resource, name);
        var sent = obj["metadata"]?["resourceVersion"]?.GetValue<string>();
        if (sent is not null && sent != current["metadata"]?["resourceVersion"]?.GetValue<string>())
            return (409, Status(409, "Conflict", $"Operation cannot be fulfilled on {resource.Plural} \"{name}\": the object has been modified"));
        return Write(resource, ns, obj, 200);
    }

    /// <summary>A write to the main resource; an update the validation refuses is a 422 Invalid, as on a real server.</summary>
    private (int, JsonNode) Write(ApiResource resource, string ns, JsonObject obj, int status)
    {
        try { return (status, Store.Write(resource, ns, obj)); }
        catch (InvalidObjectException e) { return (422, Status(422, "Invalid", e.Message)); }
    }

    private (int, JsonNode) Patch(ApiResource resource, string ns, string name, string? contentType, string body, string? fieldManager)
    {
        var current = Store.Get(resource, ns, name);
        if (current is null) return NotFound(resource, name);
        var before = current["spec"]?["replicas"]?.GetValue<int>();
        var liveVersion = current["metadata"]?["resourceVersion"]?.GetValue<string>();
        JsonObject patched;
        try { patched = Patches.Apply(current, contentType, body); }
        catch (PatchTestFailedException e) { return (422, Status(422, "Invalid", e.Message)); }
        // A patch that names a resourceVersion is conditional on it, as on a real server.
        if (patched["metadata"]?["resourceVersion"]?.GetValue<string>() != liveVersion)
            return (409, Status(409, "Conflict", $"Operation cannot be fulfilled on {resource.Plural} \"{name}\": the object has been modified"));
        if (patched["spec"]?["replicas"]?.GetValue<int>() is { } after)
            ReplicaOwnership.RecordWrite(patched, before, after, fieldManager ?? "unknown");
        return Write(resource, ns, patched, 200);
    }

    /// <summary>PUT or PATCH of the status subresource: only the status of the result is kept.</summary>
    private (int, JsonNode) WriteStatus(ApiResource resource, string ns, string name, string method, string? contentType, string body)
    {
        var current = Store.Get(resource, ns, name);
        if (current is null) return NotFound(resource, name);
        JsonObject next;
        try { next = method == "PUT" ? JsonNode.Parse(body)!.AsObject() : Patches.Apply(current, contentType, body); }
        catch (PatchTestFailedException e) { return (422, Status(422, "Invalid", e.Message)); }
        return Store.WriteStatus(resource, ns, name, next["status"]) is { } stored ? (200, stored) : NotFound(resource, name);
    }

    private static (int, JsonNode) NotFound(ApiResource resource, string name) =>
        (404, Status(404, "NotFound", $"{resource.Plural} \"{name}\" not found"));

    public static JsonObject Status(int code, string reason, string message) => new()
    {
        ["kind"] = "Status",
        ["apiVersion"] = "v1",
        ["metadata"] = new JsonObject(),
        ["status"] = code < 300 ? "Success" : "Failure",
        ["message"] = message,
        ["reason"] = reason,
        ["code"] = code,
    };

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }
}

/// <summary>How every request fails during an outage (<see cref="FakeKubeApiServer.Outage"/>).</summary>
public enum ApiOutage
{
    /// <summary>503 Service Unavailable.</summary>
    Unavailable,

    /// <summary>429 Too Many Requests with Retry-After: 1.</summary>
    TooManyRequests,

    /// <summary>The connection is closed without an answer.</summary>
    DropConnection,
}
