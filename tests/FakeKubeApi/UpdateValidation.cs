using System.Text.Json.Nodes;

namespace FakeKubeApi;

/// <summary>An update the API server's validation refuses (HTTP 422, reason Invalid), with its message.</summary>
public sealed class InvalidObjectException(string message) : Exception(message);

/// <summary>
/// The update rules of the kinds the chart writes whose fields Kubernetes keeps immutable.
/// StatefulSet: Kubernetes v1.35 pkg/apis/apps/validation/validation.go, ValidateStatefulSetUpdate,
/// which lets a spec change only in the fields below (volumeClaimTemplates, serviceName, selector and
/// podManagementPolicy stay as created).
/// </summary>
public static class UpdateValidation
{
    private static readonly string[] MutableStatefulSetFields =
        ["replicas", "ordinals", "template", "updateStrategy", "revisionHistoryLimit", "persistentVolumeClaimRetentionPolicy", "minReadySeconds"];

    public static void Check(ApiResource resource, string name, JsonObject live, JsonObject next)
    {
        if (resource.Kind != "StatefulSet") return;
        if (!JsonNode.DeepEquals(Immutable(live), Immutable(next)))
            throw new InvalidObjectException($"StatefulSet.apps \"{name}\" is invalid: spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden");
    }

    private static JsonObject Immutable(JsonObject obj)
    {
        var spec = obj["spec"]?.DeepClone() as JsonObject ?? new JsonObject();
        foreach (var field in MutableStatefulSetFields) spec.Remove(field);
        return spec;
    }
}
