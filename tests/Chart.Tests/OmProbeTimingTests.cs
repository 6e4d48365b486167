using k8s.Models;

namespace Chart.Tests;

/// <summary>
/// The OM's probes against what om-lifecycle does while it starts (helper/Lifecycle/Prober.cs,
/// Starter.cs) and the kubelet's rules (docs "Configure Liveness, Readiness and Startup Probes":
/// a container is killed after failureThreshold failures in a row, one every periodSeconds).
/// </summary>
public sealed class OmProbeTimingTests
{
    public static TheoryData<string> Helms() => new(Helm.Versions);

    /// <summary>Prober.HeartbeatMaxAge: `probe started` fails once start's heartbeat is older than this.</summary>
    private const int HeartbeatMaxAgeSeconds = 60;

    [Theory]
    [MemberData(nameof(Helms))]
    public async Task Startup_and_liveness_ask_only_for_starts_heartbeat_so_a_bootstrap_or_catch_up_of_any_length_is_not_killed(string helm)
    {
        var container = await OmContainerAsync(helm, "");

        container.StartupProbe.Exec.Command.Should().EndWith(["probe", "started"]);
        container.LivenessProbe.Exec.Command.Should().EndWith(["probe", "started"]);
        container.ReadinessProbe.Exec.Command.Should().EndWith(["probe", "ready"], "membership and a leader decide readiness, never liveness");
    }

    // A joiner's start asks `ozone admin om roles` (BootstrapCommitCheck) from its confirmation loop and
    // writes no heartbeat until the call returns, which may take timeouts.command when an OM does not
    // answer. Liveness must outlast that, with the 60 s the grace period also allows for the loop's API calls.
    [Theory]
    [MemberData(nameof(Helms))]
    public async Task Liveness_outlasts_one_Ozone_call_of_timeouts_command_during_which_start_writes_no_heartbeat(string helm)
    {
        foreach (var commandTimeout in new[] { 120, 300, 1800 })
        {
            var liveness = (await OmContainerAsync(helm, $"om.lifecycle.commandTimeout={commandTimeout}")).LivenessProbe;

            var staleBeforeKill = HeartbeatMaxAgeSeconds + (liveness.FailureThreshold!.Value - 1) * liveness.PeriodSeconds!.Value;
            staleBeforeKill.Should().BeGreaterThan(commandTimeout + 60, $"commandTimeout {commandTimeout}: a heartbeat that stays old for one Ozone call must not get the OM killed");
        }
    }

    private static async Task<V1Container> OmContainerAsync(string helm, string set)
    {
        var result = await Helm.TemplateAsync(helm, RenderMatrixTests.Values(set));
        result.ExitCode.Should().Be(0, result.Stderr);
        return result.One<V1StatefulSet>("ozone-om").Spec.Template.Spec.Containers.Single(c => c.Name == "om");
    }
}
