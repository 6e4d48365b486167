namespace OmLifecycle.Ozone;

/// <summary>
/// Asks this pod's own OM at the pod's address (POD_IP) instead of by its DNS name. The name exists
/// only once the pod's endpoint is published, and cluster DNS keeps a miss for up to 30 s (CoreDNS
/// `cache 30` over the kubernetes plugin's `ttl 30`, kubeadm's Corefile): another OM that looked up a
/// joiner before its pod existed would otherwise keep the joiner's own probes failing that long. The
/// OM's HTTP server listens on every address (ozone.om.http-bind-host, default 0.0.0.0, OMConfigKeys),
/// so the pod's address reaches it. Other nodes are asked by name, as before.
/// </summary>
public sealed class SelfAddressJmx(IRatisJmx inner, string? selfNodeId, string? podIp) : IRatisJmx
{
    public Task<NodeProbe> ProbeAsync(string nodeId, string host, int httpPort, CancellationToken cancellationToken) =>
        inner.ProbeAsync(nodeId, nodeId == selfNodeId && !string.IsNullOrEmpty(podIp) ? podIp : host, httpPort, cancellationToken);
}
