using System.Text.Json.Nodes;

namespace FakeKubeApi;

/// <summary>The legacy discovery documents (/apis, /api/v1, /apis/g/v) built from <see cref="ApiResource.All"/>.</summary>
public static class Discovery
{
    public static JsonObject Groups()
    {
        var groups = new JsonArray();
        foreach (var group in ApiResource.All.Where(r => r.Group.Length > 0).GroupBy(r => r.Group))
        {
            var versions = new JsonArray();
            foreach (var v in group.Select(r => r.Version).Distinct())
                versions.Add(new JsonObject { ["groupVersion"] = $"{group.Key}/{v}", ["version"] = v });
            groups.Add(new JsonObject
            {
                ["name"] = group.Key,
                ["versions"] = versions,
                ["preferredVersion"] = versions[0]!.DeepClone(),
            });
        }
        return new JsonObject { ["kind"] = "APIGroupList", ["apiVersion"] = "v1", ["groups"] = groups };
    }

    public static JsonObject Resources(string groupVersion)
    {
        var list = new JsonArray();
        foreach (var r in ApiResource.All.Where(r => r.GroupVersion == groupVersion))
        {
            list.Add(new JsonObject
            {
                ["name"] = r.Plural,
                ["singularName"] = r.Kind.ToLowerInvariant(),
                ["namespaced"] = r.Namespaced,
                ["kind"] = r.Kind,
                ["verbs"] = new JsonArray("create", "delete", "get", "list", "patch", "update", "watch"),
            });
            foreach (var sub in r.Subresources ?? [])
            {
                list.Add(new JsonObject
                {
                    ["name"] = $"{r.Plural}/{sub}",
                    ["singularName"] = "",
                    ["namespaced"] = r.Namespaced,
                    ["kind"] = sub == "scale" ? "Scale" : r.Kind,
                    ["group"] = sub == "scale" ? "autoscaling" : null,
                    ["version"] = sub == "scale" ? "v1" : null,
                    ["verbs"] = new JsonArray("get", "patch", "update"),
                });
            }
        }
        return new JsonObject { ["kind"] = "APIResourceList", ["apiVersion"] = "v1", ["groupVersion"] = groupVersion, ["resources"] = list };
    }
}
