using System.Text.Json.Nodes;
using FakeKubeApi;

namespace ClusterTwin;

/// <summary>
/// The Kubernetes side of the twin: the API state (a writable fake API server that Helm's lookup
/// and om-lifecycle both use), persistent volumes as directories kept across pods, the EndpointSlice
/// controller, and the DNS model: a pod's name resolves only while an EndpointSlice of a headless
/// Service lists it as ready with its hostname.
/// </summary>
public sealed class Cluster : IDisposable
{
    public Cluster(string work, string ns)
    {
        Work = work;
        Namespace = ns;
        Api = new FakeKubeApiServer();
        Kubeconfig = Api.WriteKubeconfig(Path.Combine(work, "kubeconfig"), ns);
        // Pods get only what the chart's Roles grant them (issue 9: a missing verb fails offline as on a cluster).
        Api.EnforceRbac = true;
        // The simulator's state stands in for what Ozone keeps in its own processes and volumes; every
        // pod's processes share it whatever user they run as, so its directory and the files they
        // append to or lock are open to all (a twin artifact, not a pod path).
        Directory.CreateDirectory(SimState);
        File.SetUnixFileMode(SimState, (UnixFileMode)Convert.ToInt32("777", 8));
        foreach (var shared in new[] { "lock", "scm.lock", "dns.lock", "calls.jsonl" })
        {
            var path = Path.Combine(SimState, shared);
            if (!File.Exists(path)) File.WriteAllText(path, "");
            File.SetUnixFileMode(path, (UnixFileMode)Convert.ToInt32("666", 8));
        }
        EndpointSlices = new EndpointSliceController(this);
        Api.Store.Changed += (resource, _, _, _) =>
        {
            if (resource.Kind is "Pod" or "Service") EndpointSlices.Sync();
        };
    }

    public string Work { get; }

    public string Namespace { get; }

    public FakeKubeApiServer Api { get; }

    /// <summary>The admin kubeconfig: Helm's and the scenario runner's (kubectl), never a pod's.</summary>
    public string Kubeconfig { get; }

    /// <summary>
    /// The kubeconfig of a pod that runs as <paramref name="serviceAccount"/> (the pod spec's
    /// serviceAccountName; "default" when it names none, as the ServiceAccount admission plugin sets
    /// it). The fake API authenticates it as system:serviceaccount:&lt;namespace&gt;:&lt;name&gt; and
    /// checks its requests against the Roles bound to it.
    /// </summary>
    public string KubeconfigFor(string? serviceAccount)
    {
        var name = string.IsNullOrEmpty(serviceAccount) ? "default" : serviceAccount;
        var path = Path.Combine(Work, $"kubeconfig-sa-{name}");
        lock (kubeconfigGate)
        {
            if (!File.Exists(path)) Api.WriteKubeconfig(path, Namespace, new ServiceAccount(Namespace, name));
        }
        return path;
    }

    private readonly Lock kubeconfigGate = new();

    public string SimState => Path.Combine(Work, "sim");

    public static ApiResource Kind(string apiVersion, string kind) => ApiResource.ByKind(apiVersion, kind)!;

    public string PvcDir(string claim) => Path.Combine(Work, "pvc", claim);

    public JsonObject? Get(string apiVersion, string kind, string name) => Api.Store.Get(Kind(apiVersion, kind), Namespace, name);

    /// <summary>A write through the API: kinds with a status subresource keep their status and count their generation.</summary>
    public void Put(JsonObject obj) => Api.Store.Write(Kind(obj["apiVersion"]!.GetValue<string>(), obj["kind"]!.GetValue<string>()), Namespace, obj);

    /// <summary>A write of the status subresource (what a controller does); nothing (null) when the object is gone.</summary>
    public JsonObject? PutStatus(string apiVersion, string kind, string name, JsonObject status) => Api.Store.WriteStatus(Kind(apiVersion, kind), Namespace, name, status);

    public void Delete(string apiVersion, string kind, string name) => Api.Store.Delete(Kind(apiVersion, kind), Namespace, name);

    /// <summary>The EndpointSlice controller of the control plane; it runs on every Pod or Service change.</summary>
    public EndpointSliceController EndpointSlices { get; }

    /// <summary>Keeps the DNS model's answers (hosts.json) in step with the API: republished whenever an EndpointSlice or a Service changes.</summary>
    public void ServeDns()
    {
        Api.Store.Changed += (resource, _, _, _) =>
        {
            if (resource.Kind is "EndpointSlice" or "Service") PublishDns();
        };
        PublishDns();
    }

    /// <summary>Where cluster DNS's answers are: name → IP, read by the simulator and by <see cref="TwinDnsServer"/>, both through CoreDNS's negative cache.</summary>
    public string DnsAnswers => Path.Combine(SimState, "hosts.json");

    /// <summary>
    /// What cluster DNS answers for pods: only names that an EndpointSlice gives (the controller's, or
    /// a stand-in one om-lifecycle writes), never the Pod object itself. CoreDNS v1.12 plugin/kubernetes
    /// serves &lt;hostname&gt;.&lt;service&gt;.&lt;ns&gt;.svc.cluster.local for an endpoint that has a
    /// hostname, of a headless Service (clusterIP None) that exists, taken from the slices labelled
    /// kubernetes.io/service-name (kubernetes.go findServices); object/endpoint.go drops endpoints whose
    /// ready condition is false (nil counts as ready). Kubernetes docs "DNS for Services and Pods", Pods.
    /// </summary>
    public void PublishDns()
    {
        lock (dnsGate) PublishDnsLocked();
    }

    private readonly Lock dnsGate = new();

    private void PublishDnsLocked()
    {
        var names = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var slice in Api.Store.List(Kind("discovery.k8s.io/v1", "EndpointSlice"), Namespace))
        {
            var service = slice["metadata"]?["labels"]?["kubernetes.io/service-name"]?.GetValue<string>();
            if (service is null || Get("v1", "Service", service)?["spec"]?["clusterIP"]?.GetValue<string>() != "None") continue;
            foreach (var endpoint in slice["endpoints"]?.AsArray() ?? [])
            {
                if (endpoint?["conditions"]?["ready"]?.GetValue<bool>() == false) continue;
                var hostname = endpoint?["hostname"]?.GetValue<string>();
                var ip = endpoint?["addresses"]?[0]?.GetValue<string>();
                // Two slices naming one host (a stand-in and the controller's) give two A records;
                // the twin's hosts.json holds one per name, so the first slice by name wins.
                if (hostname is not null && ip is not null)
                    names.TryAdd($"{hostname}.{service}.{Namespace}.svc.cluster.local", ip);
            }
        }
        var json = new JsonObject();
        foreach (var (name, ip) in names) json[name] = ip;
        AtomicWrite(DnsAnswers, json.ToJsonString());
    }

    public void Dispose() => Api.Dispose();

    private static void AtomicWrite(string path, string content)
    {
        var temp = path + ".tmp";
        File.WriteAllText(temp, content);
        File.Move(temp, path, overwrite: true);
    }
}
