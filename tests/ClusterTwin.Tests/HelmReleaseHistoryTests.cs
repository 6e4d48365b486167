using k8s;
using k8s.Models;

namespace ClusterTwin.Tests;

/// <summary>The release history the twin keeps, as Helm's release storage does (pkg/action install, upgrade, rollback).</summary>
public sealed class HelmReleaseHistoryTests
{
    private static HelmRelease Release() => new("helm3", "chart", "ozone", "default", "kubeconfig", Path.GetTempPath());

    // Helm 4.1 pkg/action/upgrade.go getUpgradeServerSideValue and rollback.go: with --server-side=auto (the
    // default) an install applies server-side, an upgrade as the newest revision was applied, a rollback as its
    // target was; only "ssa" leads to server-side. Helm 3 records no method.
    [Theory]
    [InlineData("helm3", "install", null, "")]
    [InlineData("helm3", "upgrade", "ssa", "")]
    [InlineData("helm4", "install", null, "ssa")]
    [InlineData("helm4", "upgrade", "", "csa")]
    [InlineData("helm4", "upgrade", "csa", "csa")]
    [InlineData("helm4", "upgrade", "ssa", "ssa")]
    [InlineData("helm4", "rollback", "", "csa")]
    [InlineData("helm4", "rollback", "ssa", "ssa")]
    [InlineData("helm4", "sync", "ssa", "")]
    public void Helm_4_applies_server_side_only_on_an_install_or_after_a_server_side_revision(string helm, string action, string? basis, string method)
    {
        HelmRelease.ApplyMethodFor(helm, action, basis).Should().Be(method);
    }

    [Fact]
    public void Each_revision_keeps_its_apply_method_through_its_outcome()
    {
        var release = Release();
        release.Deploy(release.Begin("one", RevisionStatus.PendingInstall, ""));
        release.Fail(release.Begin("two", RevisionStatus.PendingUpgrade, "csa"));

        release.ApplyMethod(1).Should().Be("", "Helm 3 wrote it");
        release.ApplyMethod(2).Should().Be("csa");
        release.Status(2).Should().Be(RevisionStatus.Failed);
    }

    [Fact]
    public void A_success_supersedes_every_deployed_revision_and_a_failure_counts_as_a_revision()
    {
        var release = Release();
        release.Deploy(release.Begin("one", RevisionStatus.PendingInstall));
        release.Fail(release.Begin("two", RevisionStatus.PendingUpgrade));
        var three = release.Begin("three", RevisionStatus.PendingUpgrade);

        release.Pending.Should().BeTrue("the newest revision is stored as pending before its hooks run");
        release.Deploy(three);

        release.Revision.Should().Be(3);
        Enumerable.Range(1, 3).Select(release.Status).Should().Equal(RevisionStatus.Superseded, RevisionStatus.Failed, RevisionStatus.Deployed);
        release.Pending.Should().BeFalse();
        release.Manifest(2).Should().Be("two");
    }

    [Fact]
    public void Atomic_rolls_back_to_the_newest_revision_that_was_deployed()
    {
        var release = Release();
        release.LastSuccessful.Should().BeNull();
        release.Deploy(release.Begin("one", RevisionStatus.PendingInstall));
        release.Deploy(release.Begin("two", RevisionStatus.PendingUpgrade));
        release.Fail(release.Begin("three", RevisionStatus.PendingUpgrade));

        release.LastSuccessful.Should().Be(2);
    }

    [Fact]
    public void A_rollback_left_pending_keeps_the_release_pending_until_the_next_one_ends()
    {
        var release = Release();
        release.Deploy(release.Begin("one", RevisionStatus.PendingInstall));
        release.Deploy(release.Begin("two", RevisionStatus.PendingUpgrade));
        release.Begin("one", RevisionStatus.PendingRollback);

        release.Pending.Should().BeTrue();
        release.Deploy(release.Begin("one", RevisionStatus.PendingRollback));

        release.Pending.Should().BeFalse();
        release.Status(3).Should().Be(RevisionStatus.PendingRollback, "Helm never records an outcome for it");
    }

    // Helm 3.18 pkg/kube/client.go Update: what the original manifest has and the target lacks is deleted.
    [Fact]
    public void Objects_the_new_manifest_drops_are_the_ones_Helm_deletes_and_hooks_are_not_among_them()
    {
        const string previous = """
            apiVersion: apps/v1
            kind: StatefulSet
            metadata: {name: ozone-recon}
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: ozone-recon}
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: ozone-config}
            ---
            apiVersion: batch/v1
            kind: Job
            metadata:
              name: ozone-om-scale-in
              annotations: {helm.sh/hook: pre-upgrade}
            """;
        const string next = """
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: ozone-config}
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: ozone-recon-new}
            """;

        HelmRelease.Dropped(previous, next).Select(o => $"{o.Kind}/{((IMetadata<V1ObjectMeta>)o).Metadata.Name}")
            .Should().BeEquivalentTo("StatefulSet/ozone-recon", "Service/ozone-recon");
    }
}
