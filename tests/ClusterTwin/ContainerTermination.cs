using System.Diagnostics;

namespace ClusterTwin;

/// <summary>
/// How the kubelet stops a container, for the pods of StatefulSets and of Jobs alike (Kubernetes
/// v1.35 pkg/kubelet/kuberuntime/kuberuntime_container.go killContainer; docs "Pod Lifecycle:
/// Termination of Pods", v1.29+): one grace period covers the preStop hook and the SIGTERM wait;
/// SIGTERM gets what preStop left, at least 2 s (minimumGracePeriodInSeconds), then SIGKILL.
/// All in twin time.
/// </summary>
public static class ContainerTermination
{
    public static async Task StopAsync(Process process, long graceSeconds, Func<CancellationToken, Task>? preStop = null)
    {
        using var grace = TwinDeadline.Start(TwinClock.OfSeconds(graceSeconds));
        if (preStop is not null && !process.HasExited) await preStop(grace.Token);
        if (process.HasExited) return;
        _ = Signal(process.Id, 15);
        using var minimum = TwinDeadline.Start(TwinClock.OfSeconds(2));
        var sigkill = Task.WhenAll(grace.Passed, minimum.Passed);
        if (await Task.WhenAny(process.WaitForExitAsync(), sigkill) == sigkill && !process.HasExited) await KillAsync(process);
    }

    /// <summary>SIGKILL at once, no preStop: a forced delete, a crash, a lost node.</summary>
    public static async Task KillAsync(Process process)
    {
        try { process.Kill(entireProcessTree: true); }
        catch (InvalidOperationException) { return; }
        await process.WaitForExitAsync();
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill")]
    private static extern int Signal(int pid, int sig);
}
