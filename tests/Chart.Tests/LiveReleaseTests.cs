using FakeKubeApi;

namespace Chart.Tests;

/// <summary>
/// Base of the tests that render as `helm upgrade` sees a live release: a read-only fake API
/// server holds the objects `lookup` reads, and <see cref="Kubeconfig"/> points Helm at it.
/// </summary>
public abstract class LiveReleaseTests : IDisposable
{
    protected LiveReleaseTests(string name)
    {
        Kubeconfig = Server.WriteKubeconfig(Path.Combine(Directory.CreateTempSubdirectory(name).FullName, "kubeconfig"));
    }

    protected FakeKubeApiServer Server { get; } = new(readOnly: true);

    protected string Kubeconfig { get; }

    public static TheoryData<string> Helms() => new() { "helm3", "helm4" };

    /// <summary>
    /// A live StatefulSet of the release, owned by Helm as an installed release's is; with
    /// <paramref name="volumeSize"/> it has the chart's volume claim template (ReadWriteOnce, the
    /// default storage class), as an install with persistence on made it.
    /// </summary>
    protected void LiveStatefulSet(string name, int replicas, string? volumeSize = null, string? storageClassName = null)
    {
        var claim = storageClassName is null ? "" : $",\"storageClassName\":\"{storageClassName}\"";
        var templates = volumeSize is null ? "" :
            ",\"volumeClaimTemplates\":[{\"metadata\":{\"name\":\"data\"},\"spec\":{\"accessModes\":[\"ReadWriteOnce\"]" + claim
            + ",\"resources\":{\"requests\":{\"storage\":\"" + volumeSize + "\"}}}}]";
        Server.Store.Add("{\"apiVersion\":\"apps/v1\",\"kind\":\"StatefulSet\",\"metadata\":{\"name\":\"" + name + "\",\"namespace\":\"default\","
            + "\"labels\":{\"app.kubernetes.io/managed-by\":\"Helm\"},"
            + "\"annotations\":{\"meta.helm.sh/release-name\":\"ozone\",\"meta.helm.sh/release-namespace\":\"default\"}},"
            + "\"spec\":{\"replicas\":" + replicas + templates + "}}");
    }

    public void Dispose()
    {
        Server.Dispose();
        Directory.Delete(Path.GetDirectoryName(Kubeconfig)!, recursive: true);
        GC.SuppressFinalize(this);
    }
}
