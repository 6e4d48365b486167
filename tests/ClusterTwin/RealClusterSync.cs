using k8s;
using k8s.Models;

namespace ClusterTwin;

/// <summary>
/// An Argo CD sync against a real cluster, with helm and kubectl only: render with `helm template`
/// (no lookup), then PreSync hooks (pre-install and pre-upgrade) in weight order, each deleted
/// first and, for Jobs, waited on; then `kubectl apply` of the resources and the OM rollout; then
/// PostSync hooks (post-install and post-upgrade). Hooks with hook-succeeded are deleted after.
/// </summary>
public sealed class RealClusterSync(RealClusterCommands commands, string helm, string kubectl, string work, Func<string, IReadOnlyList<string>, Task<(int Code, string Output)>> run)
{
    public async Task<bool> RunAsync(string valuesFile, IReadOnlyList<(string Key, string Value)> set)
    {
        var (code, manifest) = await run(helm, commands.HelmTemplate(valuesFile, set));
        if (code != 0) return false;
        var (resources, hooks) = HelmRelease.Split(manifest);
        if ((await run(kubectl, commands.NamespaceExists())).Code != 0 && (await run(kubectl, commands.CreateNamespace())).Code != 0) return false;

        if (!await RunHooksAsync(HelmRelease.HooksFor(hooks, "pre-install", "pre-upgrade"))) return false;
        var file = Write("resources", resources);
        if ((await run(kubectl, commands.Apply(file))).Code != 0) return false;
        if ((await run(kubectl, commands.OmRolloutStatus())).Code != 0) return false;
        return await RunHooksAsync(HelmRelease.HooksFor(hooks, "post-install", "post-upgrade"));
    }

    private async Task<bool> RunHooksAsync(List<IKubernetesObject> hooks)
    {
        foreach (var hook in hooks)
        {
            var name = ((IMetadata<V1ObjectMeta>)hook).Metadata.Name;
            if ((await run(kubectl, commands.DeleteIfPresent(hook.Kind, name))).Code != 0) return false;
            if ((await run(kubectl, commands.Apply(Write($"{hook.Kind}-{name}", [hook])))).Code != 0) return false;
            if (hook is V1Job && !await WaitForJobAsync(name)) return false;
        }
        foreach (var hook in hooks.Where(HelmRelease.DeletedOnSuccess))
            await run(kubectl, commands.DeleteIfPresent(hook.Kind, ((IMetadata<V1ObjectMeta>)hook).Metadata.Name));
        return true;
    }

    private async Task<bool> WaitForJobAsync(string job)
    {
        var deadline = DateTime.UtcNow.AddMinutes(30);
        while (DateTime.UtcNow < deadline)
        {
            var conditions = JobOutcome((await run(kubectl, commands.JobConditions(job))).Output);
            if (conditions is { } done) return done;
            await Task.Delay(TimeSpan.FromSeconds(5));
        }
        Console.Error.WriteLine($"cluster-twin: hook Job {job} did not finish within 30 minutes");
        return false;
    }

    /// <summary>true when a Job's conditions say Complete, false when Failed, null while it runs.</summary>
    public static bool? JobOutcome(string conditions)
    {
        var lines = conditions.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (lines.Contains("Failed=True")) return false;
        return lines.Contains("Complete=True") ? true : null;
    }

    private string Write(string name, IEnumerable<IKubernetesObject> objects)
    {
        var path = Path.Combine(work, $"sync-{name}.yaml");
        File.WriteAllText(path, string.Join("---\n", objects.Select(o => KubernetesYaml.Serialize(o))));
        return path;
    }
}
