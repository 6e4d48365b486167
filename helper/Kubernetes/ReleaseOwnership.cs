using k8s.Models;

namespace OmLifecycle.Kubernetes;

/// <summary>
/// Ties the objects om-lifecycle creates (the ring record, stand-in EndpointSlices) to the OM
/// StatefulSet of this install: they carry an ownerReference to it, so Kubernetes' garbage
/// collector deletes them with it on `helm uninstall`, and an object left by an earlier install
/// of the same release name (a killed Job, a slow collector, an older om-lifecycle) is recognised
/// as stale and never read as this install's.
/// </summary>
public static class ReleaseOwnership
{
    /// <summary>
    /// The reference to the StatefulSet. blockOwnerDeletion stays unset: setting it needs update on
    /// the StatefulSet's finalizers (OwnerReferencesPermissionEnforcement), and nothing waits on it.
    /// </summary>
    public static V1OwnerReference To(V1StatefulSet owner) => new()
    {
        ApiVersion = "apps/v1",
        Kind = "StatefulSet",
        Name = owner.Metadata.Name,
        Uid = owner.Metadata.Uid,
    };

    /// <summary>
    /// Whether <paramref name="obj"/> belongs to the live StatefulSet <paramref name="owner"/>:
    /// it names its uid; or, written before objects had owners, it was created no earlier than the
    /// StatefulSet. With no StatefulSet (uninstalled, or before the first apply) nothing is current.
    /// </summary>
    public static bool IsCurrent(V1ObjectMeta obj, V1StatefulSet? owner)
    {
        if (owner?.Metadata?.Uid is not { Length: > 0 } uid) return false;
        if (obj.OwnerReferences is { Count: > 0 } refs) return refs.Any(r => r.Uid == uid);
        return obj.CreationTimestamp is not { } created || owner.Metadata.CreationTimestamp is not { } since || created >= since;
    }

    /// <summary>Adds the reference to the StatefulSet when it is missing (adopting a record an older om-lifecycle wrote).</summary>
    public static bool Adopt(V1ObjectMeta obj, V1StatefulSet owner)
    {
        if (obj.OwnerReferences?.Any(r => r.Uid == owner.Metadata.Uid) == true) return false;
        obj.OwnerReferences = [.. obj.OwnerReferences ?? [], To(owner)];
        return true;
    }
}
