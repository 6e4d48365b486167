using OmLifecycle.Kubernetes;
using OmLifecycle.Logging;
using OmLifecycle.Membership;
using OmLifecycle.Ozone;
using OmLifecycle.Process;

namespace OmLifecycle.Lifecycle;

/// <summary>Everything a command works with: the document, the edges to Ozone and Kubernetes, the clock.</summary>
public sealed record LifecycleContext(
    MembershipDocument Doc,
    ToolEnvironment Env,
    IOzoneAdmin Ozone,
    IRatisJmx Jmx,
    IKubeCluster Kube,
    IProcessRunner Runner,
    JsonLog Log,
    TimeProvider Clock,
    TimeSpan PollInterval)
{
    public RingObserver Observer => new(Doc, Jmx);

    /// <summary>This OM's data directories, from the ozone-site.xml the OM reads; refuses one a wipe could not keep inside the volume.</summary>
    public Volume.OmDataLocations DataLocations() => Volume.OmDataLocations.Load(Doc.MetadataDir, Env.OzoneSitePath);

    /// <summary>Wires the real edges; validation of the document happens before anything else.</summary>
    public static LifecycleContext Create(ToolEnvironment env)
    {
        var doc = MembershipLoader.LoadFile(env.MembershipPath);
        var log = JsonLog.Stderr;
        var runner = new ProcessRunner();
        // A redirect would make another host's answer count as this node's.
        var http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(3) };
        if (env.PodNamespace is { } podNamespace && !Names.IsLabel(podNamespace))
            throw Cli.LifecycleException.Refused(
                $"POD_NAMESPACE is '{Cli.UntrustedText.Show(podNamespace)}', which is not a namespace name (a DNS label: lower-case letters, digits and '-', at most 63 characters). Set it from the pod's metadata.namespace as the chart does, or unset it to use the document's namespace '{doc.Namespace}'.");
        var ns = env.PodNamespace ?? doc.Namespace;
        var poll = PollIntervalFromEnvironment();
        return new LifecycleContext(
            doc, env,
            new OzoneCli(env.OzoneBin, doc.ServiceId, doc.Timeouts.Command, runner, log),
            new SelfAddressJmx(new RatisJmxClient(http, log), env.PodName, env.PodIp),
            new KubeCluster(ConnectKubernetes(env.Kubeconfig, ApiRequestTimeout(poll)), doc, ns, log, env.PodName),
            runner, log, TimeProvider.System, poll);
    }

    /// <summary>
    /// For hook commands: Kubernetes API calls that fail transiently are retried with backoff within
    /// timeouts.command (<see cref="RetryingKubeCluster"/>). Not for start, which keeps its own
    /// backoff so that its loop, and the OM's heartbeat, never wait on the API.
    /// </summary>
    public LifecycleContext WithApiRetries() => this with { Kube = new RetryingKubeCluster(Kube, Doc.Timeouts.Command, PollInterval, Clock, Log) };

    /// <summary>How long one Kubernetes API request may take: five poll intervals, between 1 s and 10 s (10 s in production).</summary>
    public static TimeSpan ApiRequestTimeout(TimeSpan pollInterval) =>
        TimeSpan.FromTicks(Math.Clamp(pollInterval.Ticks * 5, TimeSpan.FromSeconds(1).Ticks, TimeSpan.FromSeconds(10).Ticks));

    /// <summary>The API client, or a refusal that says what is wrong with the kubeconfig (never the client library's stack trace).</summary>
    public static k8s.IKubernetes? ConnectKubernetes(string? kubeconfig, TimeSpan requestTimeout)
    {
        const string Fix = "Point OM_LIFECYCLE_KUBECONFIG at a kubeconfig file with a current context (e.g. from 'kubectl config view --minify --flatten'), or unset it inside a pod to use the service account.";
        if (kubeconfig is not null)
        {
            var text = Cli.InputFile.ReadText(kubeconfig, "the kubeconfig in OM_LIFECYCLE_KUBECONFIG", Fix, MembershipLimits.MaxDocumentBytes);
            KubeconfigShape.Check(text, $"The kubeconfig in OM_LIFECYCLE_KUBECONFIG ({Cli.UntrustedText.Show(kubeconfig, 200)})", Fix);
        }
        try
        {
            return KubeCluster.Connect(kubeconfig, requestTimeout);
        }
        catch (Exception e) when (e is not Cli.LifecycleException)
        {
            throw Cli.LifecycleException.Refused(kubeconfig is null
                ? $"This pod's service account cannot be used for the Kubernetes API ({e.GetType().Name}: {Cli.CommandBoundary.OneLine(e.Message, 200)}). Check that the pod mounts its service account token (automountServiceAccountToken), or set OM_LIFECYCLE_KUBECONFIG."
                : $"OM_LIFECYCLE_KUBECONFIG={Cli.UntrustedText.Show(kubeconfig, 200)} is not a usable kubeconfig ({e.GetType().Name}: {Cli.CommandBoundary.OneLine(e.Message, 200)}). {Fix}");
        }
    }

    /// <summary>How often waits re-check the ring; tests and the twin shorten it.</summary>
    private static TimeSpan PollIntervalFromEnvironment() =>
        int.TryParse(EnvironmentVariables.Read(EnvironmentVariables.PollMilliseconds), out var ms) && ms > 0
            ? TimeSpan.FromMilliseconds(ms)
            : TimeSpan.FromSeconds(2);

    /// <summary>This pod's node; refuses a pod whose name is not an OM of this ring.</summary>
    public OmNode Self()
    {
        var name = Env.PodName ?? throw Cli.LifecycleException.Refused(
            "Cannot tell which OM this is: POD_NAME (or HOSTNAME) is not set. Set POD_NAME from the pod's metadata.name, or run this inside an OM pod.");
        if (Doc.OrdinalOf(name) is null)
            throw Cli.LifecycleException.Refused(
                $"This pod is '{Cli.UntrustedText.Show(name)}', which is not an OM of ring '{Doc.ServiceId}' (OM pods are {Doc.NodeIdPrefix}0, {Doc.NodeIdPrefix}1, …). Run this command in an OM pod, or pass --node where the command takes one.");
        return Doc.NodeFor(name);
    }

    /// <summary>Sleeps one poll interval on the context's clock.</summary>
    public Task PauseAsync(CancellationToken cancellationToken) => Task.Delay(PollInterval, Clock, cancellationToken);

    /// <summary>The ring as it is now: desired nodes and any higher ordinal the StatefulSet or the record still has.</summary>
    public async Task<RingView> ObserveAsync(int extraUpTo, CancellationToken cancellationToken)
    {
        var upTo = Math.Max(Doc.Replicas, Math.Max(Doc.PreviousReplicas ?? 0, extraUpTo));
        return await Observer.ObserveAsync(Observer.Candidates(upTo), cancellationToken);
    }
}
