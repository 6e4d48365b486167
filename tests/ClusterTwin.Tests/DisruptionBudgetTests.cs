using System.Text.Json.Nodes;

namespace ClusterTwin.Tests;

/// <summary>
/// The eviction API's PodDisruptionBudget check (Kubernetes v1.35 pkg/registry/core/pod/storage/eviction.go,
/// pkg/controller/disruption/disruption.go) against the chart's OM budget, maxUnavailable = (n - 1) / 2.
/// </summary>
public sealed class DisruptionBudgetTests
{
    private static readonly Dictionary<string, string> Om = new() { ["app.kubernetes.io/component"] = "om" };

    private static List<DisruptionBudget.Pod> Pods(params bool[] ready) =>
        ready.Select((r, i) => new DisruptionBudget.Pod($"ozone-om-{i}", Om, r, false)).ToList();

    private static DisruptionBudget.Budget OmBudget(int replicas) => new("ozone-om", Om, (replicas - 1) / 2, null);

    // pods' readiness (ordinal order), the pod to evict, whether the API lets it go
    [Theory]
    [InlineData(new[] { true, true, true }, 2, true)]          // 3 OMs: one may go
    [InlineData(new[] { false, true, true }, 2, false)]        // one already down: a second would break the majority
    [InlineData(new[] { false, true, true }, 0, true)]         // the unhealthy one itself may go while the budget holds
    [InlineData(new[] { true, true, true, true, true }, 4, true)]
    [InlineData(new[] { false, true, true, true, true }, 4, true)]   // 5 OMs: two may be down
    [InlineData(new[] { false, false, true, true, true }, 4, false)]
    [InlineData(new[] { false, false, false, true, true }, 0, false)] // a budget already short: not even an unhealthy pod
    public void A_healthy_pod_needs_a_disruption_to_spare_and_an_unhealthy_one_a_budget_that_holds(bool[] ready, int evicted, bool allowed)
    {
        var refusal = DisruptionBudget.EvictionRefusal($"ozone-om-{evicted}", Pods(ready), [OmBudget(ready.Length)], ready.Length);

        if (allowed) refusal.Should().BeNull();
        else refusal.Should().StartWith("Cannot evict pod as it would violate the pod's disruption budget.").And.Contain("ozone-om");
    }

    [Fact]
    public void A_pod_that_no_budget_selects_or_that_is_terminating_may_go_and_two_budgets_are_an_error()
    {
        var pods = Pods(true, true, true);
        var other = new DisruptionBudget.Budget("other", new Dictionary<string, string> { ["app"] = "x" }, 0, null);

        DisruptionBudget.EvictionRefusal("ozone-om-0", pods, [other], 3).Should().BeNull();
        DisruptionBudget.EvictionRefusal("ozone-om-0", [pods[0] with { Terminating = true }, .. pods.Skip(1)], [OmBudget(3) with { MaxUnavailable = 0 }], 3).Should().BeNull();
        DisruptionBudget.EvictionRefusal("ozone-om-0", pods, [OmBudget(3), OmBudget(3) with { Name = "second" }], 3).Should().Contain("more than one PodDisruptionBudget");
    }

    [Fact]
    public void Budgets_and_pods_are_read_from_their_api_objects()
    {
        var pdb = JsonNode.Parse("""{"metadata":{"name":"ozone-om"},"spec":{"maxUnavailable":1,"selector":{"matchLabels":{"app.kubernetes.io/component":"om"}}}}""")!;
        var pod = JsonNode.Parse("""{"metadata":{"name":"ozone-om-1","labels":{"app.kubernetes.io/component":"om"},"deletionTimestamp":"2026-11-27T10:00:00Z"},"status":{"conditions":[{"type":"Ready","status":"True"}]}}""")!;

        DisruptionBudget.FromJson(pdb).Should().BeEquivalentTo(new DisruptionBudget.Budget("ozone-om", Om, 1, null));
        DisruptionBudget.PodFromJson(pod).Should().BeEquivalentTo(new DisruptionBudget.Pod("ozone-om-1", Om, true, true));
    }
}
