using System.Net;
using System.Runtime.InteropServices;
using k8s.Autorest;
using OmLifecycle.Lifecycle;

namespace OmLifecycle.Cli;

/// <summary>
/// Runs one command: turns SIGTERM/SIGINT into cancellation, a refusal into one sentence on stderr
/// with its documented exit code, a failing Kubernetes API into exit 5, and anything unexpected into
/// exit 70 with one line. Never a stack trace, unless OM_LIFECYCLE_DEBUG asks for one.
/// </summary>
public static class CommandBoundary
{
    /// <summary>Set OM_LIFECYCLE_DEBUG=1 to get the stack trace of an internal error (for a bug report).</summary>
    public const string DebugVariable = Lifecycle.EnvironmentVariables.Debug;

    /// <param name="refusalEvent">Membership-changing commands also put a refusal on the StatefulSet as a Warning Event.</param>
    public static async Task<int> RunAsync(string? membershipPath, Func<LifecycleContext, CancellationToken, Task<int>> command, CancellationToken outer, bool refusalEvent = false)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(outer);
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Cancel);
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Cancel);
        LifecycleContext? ctx = null;
        try
        {
            ctx = LifecycleContext.Create(ToolEnvironment.FromProcess(membershipPath));
            return await command(ctx, cts.Token);
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            Console.Error.WriteLine("om-lifecycle: stopped by a signal before the step finished; run the same command again to resume.");
            return 143;
        }
        catch (Exception e)
        {
            var (code, message) = Describe(e);
            Console.Error.WriteLine($"om-lifecycle: {message}");
            if (refusalEvent && ctx is not null && code is ExitCode.Refused or ExitCode.DeadlinePassed or ExitCode.OzoneFailed)
                await RecordEventAsync(ctx, code, message);
            return (int)code;
        }

        void Cancel(PosixSignalContext context)
        {
            context.Cancel = true;
            cts.Cancel();
        }
    }

    /// <summary>For commands that need no membership document (install).</summary>
    public static int Run(Func<int> command)
    {
        try
        {
            return command();
        }
        catch (Exception e)
        {
            return Report(e);
        }
    }

    /// <summary>Prints the one line for <paramref name="e"/> and returns its exit code (also the last resort of Program.cs).</summary>
    public static int Report(Exception e)
    {
        var (code, message) = Describe(e);
        Console.Error.WriteLine($"om-lifecycle: {message}");
        return (int)code;
    }

    /// <summary>The exit code and the one sentence for a failure.</summary>
    public static (ExitCode Code, string Message) Describe(Exception e) => e switch
    {
        LifecycleException refusal => (refusal.Code, OneLine(refusal.Message, 3900)),
        HttpOperationException http => (ExitCode.KubernetesFailed, KubernetesAnswer(http)),
        System.Text.Json.JsonException when IsFromKubernetesClient(e) => (ExitCode.KubernetesFailed,
            $"The Kubernetes API answered with something that is not Kubernetes JSON ({OneLine(e.Message, 200)}); the server in OM_LIFECYCLE_KUBECONFIG (or the in-cluster address) is not the Kubernetes API, or a proxy answered in its place. Nothing more was done; fix the address and run the command again."),
        // The Kubernetes client surfaces its request timeout as a plain cancellation; a signal's cancellation is handled before Describe.
        OperationCanceledException => (ExitCode.KubernetesFailed,
            "The Kubernetes API did not answer in time. Steps already confirmed stay done; check the API server's health and the address in OM_LIFECYCLE_KUBECONFIG (or the pod's network policy), then run the command again."),
        HttpRequestException reach => (ExitCode.KubernetesFailed,
            $"Cannot reach the Kubernetes API ({OneLine(reach.Message, 300)}). Nothing more was done; check the API server address (OM_LIFECYCLE_KUBECONFIG, or the pod's service account and network policy) and run the command again."),
        _ => (ExitCode.InternalError, Internal(e)),
    };

    private static string KubernetesAnswer(HttpOperationException e)
    {
        var status = (int)e.Response.StatusCode;
        var request = e.Request is { } r ? $"{r.Method} {r.RequestUri?.AbsolutePath}" : "a request";
        var body = e.Response.Content ?? "";
        var isKubernetes = body.Contains("\"kind\":\"Status\"", StringComparison.Ordinal) || body.Contains("\"kind\": \"Status\"", StringComparison.Ordinal);
        var what = isKubernetes ? OneLine(body, 300) : $"a non-Kubernetes answer: {OneLine(body, 120)}";
        var fix = e.Response.StatusCode switch
        {
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => "check the ServiceAccount's Role (see the chart's RBAC) or the kubeconfig's credentials",
            HttpStatusCode.NotFound => "check that OM_LIFECYCLE_KUBECONFIG (or the in-cluster address) points at the Kubernetes API server and that POD_NAMESPACE is the release's namespace",
            _ => "check the API server's health",
        };
        return $"The Kubernetes API answered {status} to {request} ({what}). Steps already confirmed stay done; {fix}, then run the command again.";
    }

    /// <summary>The client throws the parser's error for a body that is not JSON (an HTML page); our own JSON parsing handles its errors where it reads.</summary>
    private static bool IsFromKubernetesClient(Exception e) => e.StackTrace?.Contains("k8s.", StringComparison.Ordinal) == true;

    private static string Internal(Exception e)
    {
        var debug = Lifecycle.EnvironmentVariables.Read(DebugVariable) is "1" or "true" or "yes";
        var line = $"internal error ({e.GetType().Name}: {OneLine(e.Message, 300)}). This is a fault in om-lifecycle, not a refusal: steps already confirmed stay done, the step in progress may be unfinished. Run 'om-lifecycle status' to see the ring, run the command again, and please report this line" +
            (debug ? "." : $" (set {DebugVariable}=1 to print the stack trace).");
        return debug ? line + Environment.NewLine + e : line;
    }

    /// <summary>A message as one line of bounded length, any control character left escaped: a hostile input never floods or forges the log.</summary>
    public static string OneLine(string text, int max)
    {
        var flat = string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        return UntrustedText.Show(flat, max);
    }

    private static async Task RecordEventAsync(LifecycleContext ctx, ExitCode code, string message)
    {
        try
        {
            using var bounded = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await ctx.Kube.RecordEventAsync(code == ExitCode.Refused ? "OMLifecycleRefused" : "OMLifecycleFailed", message, warning: true, bounded.Token);
        }
        catch (Exception e)
        {
            // Events are best effort; the line on stderr already says it all.
            ctx.Log.Warn("kube.event", $"could not record the refusal as an Event ({e.GetType().Name})");
        }
    }
}
