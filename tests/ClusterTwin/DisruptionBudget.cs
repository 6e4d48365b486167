using System.Text.Json.Nodes;

namespace ClusterTwin;

/// <summary>
/// The eviction API's check of PodDisruptionBudgets, as `kubectl drain` meets it (Kubernetes v1.35
/// pkg/registry/core/pod/storage/eviction.go, with the disruption controller's counts from
/// pkg/controller/disruption/disruption.go). The counts are taken from the live objects at the
/// moment of the eviction, as a disruption controller that is always current would give them.
/// </summary>
public static class DisruptionBudget
{
    /// <summary>A pod as the eviction check sees it.</summary>
    public sealed record Pod(string Name, IReadOnlyDictionary<string, string> Labels, bool Ready, bool Terminating);

    /// <summary>A PodDisruptionBudget: its selector's matchLabels and maxUnavailable or minAvailable (whole numbers).</summary>
    public sealed record Budget(string Name, IReadOnlyDictionary<string, string> Selector, int? MaxUnavailable, int? MinAvailable);

    /// <summary>
    /// Null when the eviction of <paramref name="podName"/> may go ahead, else the API server's refusal.
    /// <paramref name="expectedPods"/> is the size of the pods' controller (its scale), which
    /// maxUnavailable is counted against. A healthy pod needs a disruption to spare
    /// (healthy pods above the desired number); an unhealthy one only a budget that is not already
    /// short (unhealthyPodEvictionPolicy IfHealthyBudget, the default).
    /// </summary>
    public static string? EvictionRefusal(string podName, IReadOnlyList<Pod> pods, IReadOnlyList<Budget> budgets, int expectedPods)
    {
        var pod = pods.FirstOrDefault(p => p.Name == podName);
        if (pod is null) return $"pods \"{podName}\" not found";
        if (pod.Terminating) return null;
        var matching = budgets.Where(b => Selects(b, pod)).ToList();
        if (matching.Count == 0) return null;
        if (matching.Count > 1) return "This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.";
        var budget = matching[0];
        var healthy = pods.Count(p => Selects(budget, p) && p.Ready && !p.Terminating);
        var desired = Math.Max(0, budget.MaxUnavailable is { } max ? expectedPods - max : budget.MinAvailable ?? 0);
        var allowed = pod.Ready ? healthy - desired > 0 : healthy >= desired;
        return allowed ? null
            : $"Cannot evict pod as it would violate the pod's disruption budget. The disruption budget {budget.Name} needs {desired} healthy pods and has {healthy} currently";
    }

    /// <summary>The budget from its API object (whole-number maxUnavailable or minAvailable; a percentage is not modelled and counts as none).</summary>
    public static Budget FromJson(JsonNode pdb)
    {
        static int? Whole(JsonNode? n) => n is JsonValue v && v.TryGetValue<int>(out var i) ? i : null;
        var labels = pdb["spec"]?["selector"]?["matchLabels"]?.AsObject().ToDictionary(kv => kv.Key, kv => kv.Value!.GetValue<string>()) ?? [];
        return new Budget(pdb["metadata"]!["name"]!.GetValue<string>(), labels, Whole(pdb["spec"]?["maxUnavailable"]), Whole(pdb["spec"]?["minAvailable"]));
    }

    /// <summary>The pod from its API object: labels, its Ready condition, and whether it is being deleted.</summary>
    public static Pod PodFromJson(JsonNode pod) => new(
        pod["metadata"]!["name"]!.GetValue<string>(),
        pod["metadata"]?["labels"]?.AsObject().ToDictionary(kv => kv.Key, kv => kv.Value!.GetValue<string>()) ?? [],
        pod["status"]?["conditions"]?.AsArray().Any(c => c?["type"]?.GetValue<string>() == "Ready" && c?["status"]?.GetValue<string>() == "True") == true,
        pod["metadata"]?["deletionTimestamp"] is not null);

    private static bool Selects(Budget budget, Pod pod) =>
        budget.Selector.Count > 0 && budget.Selector.All(kv => pod.Labels.TryGetValue(kv.Key, out var v) && v == kv.Value);
}
