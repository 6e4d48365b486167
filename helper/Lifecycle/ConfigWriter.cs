using OmLifecycle.Kubernetes;
using OmLifecycle.Membership;
using OmLifecycle.Ozone;

namespace OmLifecycle.Lifecycle;

/// <summary>Writes the membership keys into this container's ozone-site.xml for a node or a client.</summary>
public static class ConfigWriter
{
    /// <summary>
    /// Nodes removed from the ring, as the ring record says. The record, not the membership
    /// document, decides: during a pre-upgrade hook the OMs still hold the old document. A reused
    /// ordinal takes itself off the record before it bootstraps (HDDS-7584).
    /// </summary>
    public static IReadOnlyList<OmNode> Decommissioned(MembershipDocument doc, RingRecord? ring, IEnumerable<string>? extra = null) =>
        (ring?.Decommissioned ?? []).Concat(extra ?? [])
            .Where(id => doc.OrdinalOf(id) is not null)
            .Distinct()
            .Select(doc.NodeFor)
            .ToList();

    /// <summary>The full ring a confirmed member lists: desired nodes plus live voters still leaving, minus removed nodes.</summary>
    public static IReadOnlyList<OmNode> FullRing(MembershipDocument doc, RingView view, IReadOnlyList<OmNode> removed) =>
        doc.Nodes
            .Concat(view.Voters.Where(v => doc.OrdinalOf(v) is not null).Select(doc.NodeFor))
            .Where(n => removed.All(r => r.Id != n.Id))
            .DistinctBy(n => n.Id)
            .OrderBy(n => n.Ordinal)
            .ToList();

    public static bool Write(LifecycleContext ctx, IEnumerable<OmNode> ring, IReadOnlyList<OmNode> removed, string? selfId)
    {
        var keys = MembershipKeys.For(ctx.Doc, ring, removed, selfId);
        bool changed;
        try
        {
            changed = OzoneSiteXml.Merge(ctx.Env.OzoneSitePath, keys, key => MembershipKeys.IsOwned(key, ctx.Doc.ServiceId));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Cli.LifecycleException.Refused(
                $"Cannot write {ctx.Env.OzoneSitePath} ({Cli.CommandBoundary.OneLine(e.Message, 200)}). OZONE_CONF_DIR ({ctx.Env.OzoneConfDir}) must be a writable directory where ozone-site.xml is a file (the image's conf dir, or an emptyDir); nothing was started.");
        }
        if (changed)
        {
            ctx.Log.Info("config.write", $"wrote the OM membership into {ctx.Env.OzoneSitePath}",
                ("nodes", keys[$"ozone.om.nodes.{ctx.Doc.ServiceId}"]), ("decommissioned", string.Join(",", removed.Select(r => r.Id))));
        }
        return changed;
    }
}
