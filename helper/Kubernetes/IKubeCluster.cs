namespace OmLifecycle.Kubernetes;

/// <summary>The few Kubernetes operations om-lifecycle needs, behind one narrow interface.</summary>
public interface IKubeCluster
{
    bool Available { get; }

    Task<RingRecord?> ReadRingAsync(CancellationToken cancellationToken);

    /// <summary>Read-modify-write of the ring ConfigMap, retried on a conflict.</summary>
    Task<RingRecord> UpdateRingAsync(Func<RingRecord, RingRecord> change, CancellationToken cancellationToken);

    /// <summary>The membership document as the API has it now (fresher than the mounted file), or null.</summary>
    Task<string?> ReadMembershipAsync(CancellationToken cancellationToken);

    Task<int?> GetStatefulSetReplicasAsync(CancellationToken cancellationToken);

    /// <summary>Sets the OM StatefulSet's size through the scale subresource, then releases spec.replicas (see <see cref="ReleaseReplicasAsync"/>).</summary>
    Task ScaleStatefulSetAsync(int replicas, CancellationToken cancellationToken);

    /// <summary>Drops om-lifecycle's ownership of the StatefulSet's spec.replicas so that Helm 4's server-side apply does not conflict with it.</summary>
    Task ReleaseReplicasAsync(CancellationToken cancellationToken);

    Task<bool> PodExistsAsync(string podName, CancellationToken cancellationToken);

    /// <summary>
    /// Whether the pod may still be running a container: it exists and its phase is neither
    /// Succeeded nor Failed (a Terminating pod still runs until its grace period ends).
    /// </summary>
    Task<bool> PodMayRunAsync(string podName, CancellationToken cancellationToken);

    /// <summary>
    /// A Kubernetes Event on the OM StatefulSet (`kubectl describe statefulset` shows it). Best
    /// effort: a refused or failed write is logged and never fails the command.
    /// </summary>
    Task RecordEventAsync(string reason, string message, bool warning, CancellationToken cancellationToken);

    /// <summary>Makes `&lt;node&gt;.&lt;headless service&gt;` resolve to <paramref name="ip"/> while the node's pod is gone.</summary>
    Task EnsureStandInAddressAsync(string nodeId, string ip, CancellationToken cancellationToken);

    Task RemoveStandInAddressAsync(string nodeId, CancellationToken cancellationToken);
}
