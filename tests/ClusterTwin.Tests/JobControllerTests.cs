using k8s.Models;

namespace ClusterTwin.Tests;

/// <summary>
/// The Job controller as the twin plays it for hook Jobs (Kubernetes v1.35
/// pkg/controller/job/job_controller.go; docs "Jobs": "Pod backoff failure policy" and "Job
/// termination and cleanup"). Pods run a shell instead of om-lifecycle.
/// </summary>
public sealed class JobControllerTests : IDisposable
{
    private readonly string work = TwinWorkDir.Create("twin-jobs");
    private readonly Cluster cluster;
    private readonly JobController jobs;

    public JobControllerTests()
    {
        cluster = new Cluster(work, "default");
        jobs = new JobController(cluster, new PodRuntime(cluster, "/bin/false", "/usr/bin"));
    }

    public void Dispose()
    {
        jobs.StopAll();
        cluster.Dispose();
        Directory.Delete(work, recursive: true);
    }

    [Fact]
    public void Retries_wait_10_s_doubling_up_to_six_minutes_in_twin_time()
    {
        Enumerable.Range(1, 7).Select(JobController.RetryDelay).Should().Equal(
            TwinClock.OfSeconds(10), TwinClock.OfSeconds(20), TwinClock.OfSeconds(40), TwinClock.OfSeconds(80),
            TwinClock.OfSeconds(160), TwinClock.OfSeconds(320), TwinClock.OfSeconds(360));
    }

    [Fact]
    public async Task A_failing_pod_is_retried_backoffLimit_times_with_the_backoff_between_pods_then_the_Job_fails()
    {
        var outcome = await jobs.RunToEndAsync(Job("fails", ["/bin/sh", "-c", "exit 1"], backoffLimit: 2));

        outcome.Should().Be(new JobController.Outcome(false, JobController.BackoffLimitExceeded, 3));
        var created = jobs.PodsCreated["fails"];
        created.Should().HaveCount(3, "the first pod and backoffLimit (2) retries");
        (created[1] - created[0]).Should().BeGreaterThanOrEqualTo(JobController.RetryDelay(1), "10 s (twin time) after the first failure");
        (created[2] - created[1]).Should().BeGreaterThanOrEqualTo(JobController.RetryDelay(2), "20 s after the second");
    }

    [Fact]
    public async Task A_pod_that_fails_once_then_succeeds_completes_the_Job()
    {
        var flag = Path.Combine(work, "failed-once");

        var outcome = await jobs.RunToEndAsync(Job("flaky", ["/bin/sh", "-c", $"test -e {flag} || {{ touch {flag}; exit 1; }}"], backoffLimit: 2));

        outcome.Should().Be(new JobController.Outcome(true, null, 2));
    }

    [Fact]
    public async Task A_Job_past_activeDeadlineSeconds_fails_and_its_running_pod_is_terminated()
    {
        var outcome = await jobs.RunToEndAsync(Job("slow", ["/bin/sleep", "300"], backoffLimit: 6, activeDeadlineSeconds: 20));

        outcome.Succeeded.Should().BeFalse();
        outcome.Reason.Should().Be(JobController.DeadlineExceeded);
        jobs.PodsCreated["slow"].Should().HaveCount(1, "no retry after the deadline");
        jobs.Running.Should().BeEmpty("the pod's container was stopped");
        cluster.Api.Store.List(Cluster.Kind("v1", "Pod")!, "default").Should().BeEmpty("the Job controller deletes the active pods of a Job past its deadline");
    }

    // kube-scheduler (VolumeBinding): a pod whose PersistentVolumeClaim does not exist is not scheduled; it stays Pending.
    [Fact]
    public async Task A_pod_whose_claim_does_not_exist_stays_Pending_and_never_runs_until_the_deadline()
    {
        var ran = Path.Combine(work, "ran");
        var job = WithClaim(Job("wipe", ["/bin/sh", "-c", $"touch {ran}"], backoffLimit: 6, activeDeadlineSeconds: 20), "data-gone");

        var outcome = await jobs.RunToEndAsync(job);

        outcome.Should().Be(new JobController.Outcome(false, JobController.DeadlineExceeded, 1));
        File.Exists(ran).Should().BeFalse("a Pending pod's containers never start");
        Directory.Exists(cluster.PvcDir("data-gone")).Should().BeFalse("no volume is made up for a claim that does not exist");
    }

    [Fact]
    public async Task A_Pending_pod_runs_once_its_claim_exists()
    {
        var ran = Path.Combine(work, "ran");
        var run = jobs.RunToEndAsync(WithClaim(Job("wipe", ["/bin/sh", "-c", $"touch {ran}"], backoffLimit: 0), "data-late"));
        await Until(() => cluster.Api.Store.List(Cluster.Kind("v1", "Pod")!, "default").Any(p => p["status"]?["phase"]?.GetValue<string>() == "Pending"), "the pod Pending");

        cluster.Put(new System.Text.Json.Nodes.JsonObject { ["apiVersion"] = "v1", ["kind"] = "PersistentVolumeClaim", ["metadata"] = new System.Text.Json.Nodes.JsonObject { ["name"] = "data-late" } });

        (await run).Succeeded.Should().BeTrue();
        File.Exists(ran).Should().BeTrue();
    }

    private static async Task Until(Func<bool> condition, string what)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (!condition())
        {
            if (timeout.IsCancellationRequested) throw new TimeoutException($"not reached within 60 s: {what}");
            await Task.Delay(50);
        }
    }

    private static V1Job WithClaim(V1Job job, string claim)
    {
        job.Spec.Template.Spec.Volumes = [new V1Volume { Name = "data", PersistentVolumeClaim = new V1PersistentVolumeClaimVolumeSource { ClaimName = claim } }];
        job.Spec.Template.Spec.Containers[0].VolumeMounts = [new V1VolumeMount { Name = "data", MountPath = "/data" }];
        return job;
    }

    private static V1Job Job(string name, string[] command, int backoffLimit, long? activeDeadlineSeconds = null) => new()
    {
        ApiVersion = "batch/v1",
        Kind = "Job",
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1JobSpec
        {
            BackoffLimit = backoffLimit,
            ActiveDeadlineSeconds = activeDeadlineSeconds,
            Template = new V1PodTemplateSpec
            {
                Spec = new V1PodSpec
                {
                    RestartPolicy = "Never",
                    TerminationGracePeriodSeconds = 10,
                    Containers = [new V1Container { Name = "main", Command = command }],
                },
            },
        },
    };
}
