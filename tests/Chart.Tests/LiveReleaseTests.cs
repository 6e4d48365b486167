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

    public void Dispose()
    {
        Server.Dispose();
        Directory.Delete(Path.GetDirectoryName(Kubeconfig)!, recursive: true);
        GC.SuppressFinalize(this);
    }
}
