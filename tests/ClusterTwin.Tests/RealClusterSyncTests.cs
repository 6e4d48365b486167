namespace ClusterTwin.Tests;

/// <summary>The order of an Argo CD-style sync on a real cluster, checked offline with a recorded command runner.</summary>
public sealed class RealClusterSyncTests : IDisposable
{
    private readonly string work = Directory.CreateTempSubdirectory("sync").FullName;
    private readonly RealClusterCommands commands = new("ozone", "storage", "/repo/charts/ozone");
    private readonly List<string> ran = [];

    public void Dispose() => Directory.Delete(work, recursive: true);

    private const string Manifest = """
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: ozone-om-membership
        ---
        apiVersion: batch/v1
        kind: Job
        metadata:
          name: ozone-om-scale-in
          annotations:
            helm.sh/hook: pre-upgrade,pre-rollback
            helm.sh/hook-weight: "0"
            helm.sh/hook-delete-policy: before-hook-creation,hook-succeeded
        spec:
          template:
            spec:
              restartPolicy: Never
              containers: [{name: c, image: i}]
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: ozone-om-lifecycle
          annotations:
            helm.sh/hook: pre-upgrade
            helm.sh/hook-weight: "-20"
        ---
        apiVersion: batch/v1
        kind: Job
        metadata:
          name: ozone-om-wipe-3
          annotations:
            helm.sh/hook: post-upgrade
        spec:
          template:
            spec:
              restartPolicy: Never
              containers: [{name: c, image: i}]
        """;

    private RealClusterSync Sync(string failingJob = "") => new(commands, "helm", "kubectl", work, (exe, args) =>
    {
        var line = $"{exe} {string.Join(' ', args.Where(a => !a.StartsWith("--namespace", StringComparison.Ordinal) && a != "storage"))}";
        ran.Add(line);
        if (args[0] == "template") return Task.FromResult((0, Manifest));
        if (args.Contains("job") && args.Contains("get"))
            return Task.FromResult((0, args.Contains(failingJob) ? "Failed=True\n" : "Complete=True\n"));
        return Task.FromResult((0, ""));
    });

    [Fact]
    public async Task PreSync_hooks_by_weight_then_resources_and_rollout_then_PostSync()
    {
        (await Sync().RunAsync("/w/values.yaml", [("om.replicas", "3")])).Should().BeTrue();

        ran.Select(l => string.Join(' ', l.Split(' ').Take(3))).Should().Equal(
            "helm template ozone",
            "kubectl get namespace",
            "kubectl delete configmap", "kubectl apply -f",
            "kubectl delete job", "kubectl apply -f", "kubectl get job",
            "kubectl delete job", // hook-succeeded
            "kubectl apply -f",
            "kubectl rollout status",
            "kubectl delete job", "kubectl apply -f", "kubectl get job");
        ran.Should().Contain(l => l.Contains("ozone-om-lifecycle")).And.Contain(l => l.EndsWith("sync-resources.yaml", StringComparison.Ordinal));
        File.ReadAllText(Path.Combine(work, "sync-resources.yaml")).Should().Contain("ozone-om-membership").And.NotContain("ozone-om-scale-in");
    }

    [Fact]
    public async Task A_failed_PreSync_job_stops_the_sync_before_anything_is_applied()
    {
        (await Sync(failingJob: "ozone-om-scale-in").RunAsync("/w/values.yaml", [])).Should().BeFalse();

        ran.Should().NotContain(l => l.Contains("sync-resources.yaml") || l.Contains("rollout"));
    }
}
