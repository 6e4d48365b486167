using k8s.Models;

namespace ClusterTwin.Tests;

/// <summary>
/// Who a container runs as, and what the kubelet does to its volumes for an fsGroup (Kubernetes
/// securityContext; pkg/volume/volume_linux.go SetVolumeOwnership; pkg/volume/emptydir).
/// </summary>
public sealed class PodIdentityTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("twin-identity").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private static V1Container Container(string image, long? runAsUser = null) =>
        new() { Name = "c", Image = image, SecurityContext = runAsUser is null ? null : new V1SecurityContext { RunAsUser = runAsUser } };

    [Fact]
    public void The_containers_user_wins_over_the_pods_and_fs_group_and_supplemental_groups_are_extra_groups()
    {
        var pod = new V1PodSpec { SecurityContext = new V1PodSecurityContext { RunAsUser = 1000, RunAsGroup = 1000, FsGroup = 2000, SupplementalGroups = [3000] } };

        PodIdentity.Of(pod, Container("apache/ozone:2.1.0")).Should().BeEquivalentTo(new PodIdentity(1000, 1000, [2000, 3000]));
        PodIdentity.Of(pod, Container("apache/ozone:2.1.0", runAsUser: 1234)).Uid.Should().Be(1234);
    }

    [Fact]
    public void Without_a_run_as_user_the_ozone_image_runs_as_hadoop_and_another_image_as_root()
    {
        var pod = new V1PodSpec();

        PodIdentity.Of(pod, Container("apache/ozone:2.1.0")).Uid.Should().Be(1000, "apache/ozone's USER is hadoop, uid 1000");
        PodIdentity.Of(pod, Container("busybox:1.36")).Uid.Should().Be(0);
    }

    [Fact]
    public void A_non_root_identity_runs_through_setpriv_and_root_runs_the_command_as_it_is()
    {
        new PodIdentity(1000, 1000, [1000]).Wrap("/bin/id", ["-u"]).Should().BeEquivalentTo(
            ("/usr/bin/setpriv", new[] { "--reuid", "1000", "--regid", "1000", "--groups", "1000", "--", "/bin/id", "-u" }), o => o.WithStrictOrdering());
        new PodIdentity(0, 0, []).Wrap("/bin/id", ["-u"]).Should().BeEquivalentTo(("/bin/id", new[] { "-u" }));
    }

    [Fact]
    public async Task A_wrapped_command_really_runs_as_that_user_and_its_groups()
    {
        var (exe, args) = new PodIdentity(1000, 1000, [2000]).Wrap("/usr/bin/id", []);
        using var p = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo(exe, args) { RedirectStandardOutput = true })!;
        var said = await p.StandardOutput.ReadToEndAsync();
        await p.WaitForExitAsync();

        said.Should().StartWith("uid=1000").And.Contain("gid=1000").And.Contain("2000");
    }

    [Fact]
    public void An_fs_group_gets_group_write_and_setgid_on_every_directory_and_group_write_on_every_file()
    {
        Directory.CreateDirectory(Path.Combine(dir, "sub"));
        File.WriteAllText(Path.Combine(dir, "sub", "f"), "x");
        File.SetUnixFileMode(Path.Combine(dir, "sub", "f"), UnixFileMode.UserRead | UnixFileMode.UserWrite);

        VolumeOwnership.Apply(dir, 1000, "OnRootMismatch");

        File.GetUnixFileMode(Path.Combine(dir, "sub")).Should().HaveFlag(UnixFileMode.GroupWrite).And.HaveFlag(UnixFileMode.SetGroup).And.HaveFlag(UnixFileMode.GroupExecute);
        File.GetUnixFileMode(Path.Combine(dir, "sub", "f")).Should().HaveFlag(UnixFileMode.GroupWrite).And.HaveFlag(UnixFileMode.GroupRead);
        Group(Path.Combine(dir, "sub", "f")).Should().Be("1000");
    }

    [Fact]
    public void On_root_mismatch_a_volume_whose_root_already_matches_is_left_alone()
    {
        VolumeOwnership.Apply(dir, 1000, "OnRootMismatch");
        var later = Path.Combine(dir, "later");
        File.WriteAllText(later, "x");
        File.SetUnixFileMode(later, UnixFileMode.UserRead);

        VolumeOwnership.Apply(dir, 1000, "OnRootMismatch");
        File.GetUnixFileMode(later).Should().Be(UnixFileMode.UserRead, "the root matched, so nothing below it was changed");
        VolumeOwnership.Apply(dir, 1000, "Always");
        File.GetUnixFileMode(later).Should().HaveFlag(UnixFileMode.GroupWrite);
    }

    // A checkout other users cannot enter (under /root, say): the pods run as root there, and the twin says so.
    [Fact]
    public void Where_other_users_cannot_reach_the_work_directory_the_pods_run_as_root()
    {
        var work = Path.Combine(dir, "private");
        Directory.CreateDirectory(work);
        File.SetUnixFileMode(work, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        File.SetUnixFileMode(dir, (UnixFileMode)Convert.ToInt32("755", 8));
        var spec = new V1PodSpec { SecurityContext = new V1PodSecurityContext { RunAsUser = 1000 } };
        var container = Container("apache/ozone:2.1.0");

        using (var closed = new Cluster(work, "default"))
            new PodRuntime(closed, "/bin/false", AppContext.BaseDirectory).IdentityOf(spec, container).Uid.Should().Be(0);
        Directory.CreateDirectory(Path.Combine(dir, "open"));
        using var open = new Cluster(Path.Combine(dir, "open"), "default");
        new PodRuntime(open, "/bin/false", AppContext.BaseDirectory).IdentityOf(spec, container).Uid.Should().Be(1000);
    }

    private static string Group(string path)
    {
        using var p = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("stat", ["-c", "%g", path]) { RedirectStandardOutput = true })!;
        var gid = p.StandardOutput.ReadToEnd().Trim();
        p.WaitForExit();
        return gid;
    }
}
