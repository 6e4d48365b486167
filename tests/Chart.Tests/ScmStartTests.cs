using System.Diagnostics;
using k8s.Models;

namespace Chart.Tests;

/// <summary>
/// How SCM pods start under the image's entrypoint (hadoop-ozone/dist/src/main/dockerlibexec/entrypoint.sh):
/// it tests ENSURE_SCM_INITIALIZED and only in an `elif` ENSURE_SCM_BOOTSTRAPPED, under `set -e`,
/// so one pod template cannot make ordinal 0 init and the others bootstrap through those variables.
/// A non-primordial SCM needs the one-shot `ozone scm --bootstrap` before `ozone scm`.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ScmStartTests : IDisposable
{
    private readonly string work = Directory.CreateTempSubdirectory("scm-start").FullName;

    public void Dispose() => Directory.Delete(work, recursive: true);

    [Theory]
    [InlineData("helm3")]
    [InlineData("helm4")]
    public async Task With_three_SCMs_the_primordial_one_only_inits_and_the_others_only_bootstrap(string helm)
    {
        var result = await Helm.TemplateAsync(helm, RenderMatrixTests.Values("scm.replicas=3,om.persistence.enabled=true,scm.persistence.enabled=true,datanode.persistence.enabled=true"));
        result.ExitCode.Should().Be(0, result.Stderr);
        var scm = result.One<V1StatefulSet>("ozone-scm").Spec.Template.Spec.Containers.Single();
        scm.Env.Should().Contain(e => e.Name == "OZONE-SITE.XML_ozone.scm.primordial.node.id" && e.Value == "ozone-scm-0");

        (await StartAsync(scm, "ozone-scm-0", versionExists: false)).Should().Equal("scm --init", "scm");
        (await StartAsync(scm, "ozone-scm-1", versionExists: false)).Should().Equal("scm --bootstrap", "scm");
        (await StartAsync(scm, "ozone-scm-2", versionExists: false)).Should().Equal("scm --bootstrap", "scm");
        // A restart with its VERSION in place: neither one-shot step runs again.
        (await StartAsync(scm, "ozone-scm-0", versionExists: true)).Should().Equal("scm");
        (await StartAsync(scm, "ozone-scm-2", versionExists: true)).Should().Equal("scm");
    }

    [Theory]
    [InlineData("helm3")]
    [InlineData("helm4")]
    public async Task A_single_SCM_inits_once(string helm)
    {
        var result = await Helm.TemplateAsync(helm, RenderMatrixTests.Values(""));
        var scm = result.One<V1StatefulSet>("ozone-scm").Spec.Template.Spec.Containers.Single();

        (await StartAsync(scm, "ozone-scm-0", versionExists: false)).Should().Equal("scm --init", "scm");
        (await StartAsync(scm, "ozone-scm-0", versionExists: true)).Should().Equal("scm");
    }

    /// <summary>
    /// Plays the container start: the image's entrypoint.sh ENSURE_SCM_* logic (if/elif, `set -e`)
    /// with the container's env, then exec of its args, with a stand-in `ozone` that records each call.
    /// Returns the `ozone` calls in order.
    /// </summary>
    private async Task<List<string>> StartAsync(V1Container container, string podName, bool versionExists)
    {
        var dir = Directory.CreateDirectory(Path.Combine(work, $"{podName}-{versionExists}-{Guid.NewGuid():N}")).FullName;
        var bin = Directory.CreateDirectory(Path.Combine(dir, "bin")).FullName;
        var calls = Path.Combine(dir, "calls");
        var data = Path.Combine(dir, "data");
        if (versionExists) { Directory.CreateDirectory(Path.Combine(data, "metadata", "scm", "current")); File.WriteAllText(Path.Combine(data, "metadata", "scm", "current", "VERSION"), ""); }
        var ozone = Path.Combine(bin, "ozone");
        File.WriteAllText(ozone, $"#!/bin/bash\necho \"$*\" >> '{calls}'\n");
        File.SetUnixFileMode(ozone, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        // The ENSURE_* part of entrypoint.sh, with /opt/hadoop/bin/ozone as the stand-in.
        var entrypoint = Path.Combine(bin, "entrypoint.sh");
        File.WriteAllText(entrypoint, """
            #!/usr/bin/env bash
            set -e
            if [ -n "$ENSURE_SCM_INITIALIZED" ]; then
              if [ ! -f "$ENSURE_SCM_INITIALIZED" ]; then
                ozone scm --init || ozone scm -init
              fi
            elif [ -n "$ENSURE_SCM_BOOTSTRAPPED" ]; then
              if [ ! -f "$ENSURE_SCM_BOOTSTRAPPED" ]; then
                ozone scm --bootstrap
              fi
            fi
            exec "$@"
            """);
        File.SetUnixFileMode(entrypoint, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        var info = new ProcessStartInfo(entrypoint) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in (container.Command ?? []).Concat(container.Args ?? [])) info.ArgumentList.Add(a);
        info.Environment.Clear();
        info.Environment["PATH"] = $"{bin}:/usr/bin:/bin";
        foreach (var e in container.Env ?? [])
        {
            var value = e.Value ?? (e.ValueFrom?.FieldRef?.FieldPath == "metadata.name" ? podName : "");
            info.Environment[e.Name] = value.Replace("/data/", data + "/", StringComparison.Ordinal);
        }
        using var p = Process.Start(info)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        p.ExitCode.Should().Be(0, $"{podName}: {await stderr}{await stdout}");
        return File.Exists(calls) ? File.ReadAllLines(calls).ToList() : [];
    }
}
