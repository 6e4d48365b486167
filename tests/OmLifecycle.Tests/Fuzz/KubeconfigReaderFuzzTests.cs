using FsCheck;
using FsCheck.Fluent;
using OmLifecycle.Cli;
using OmLifecycle.Lifecycle;

namespace OmLifecycle.Tests.Fuzz;

/// <summary>
/// Property: whatever OM_LIFECYCLE_KUBECONFIG's file holds, reading it gives an API client or a
/// <see cref="LifecycleException"/> with one clean line; never the client library's exception, never
/// a stack overflow. No request is made: only the file is read. A bounded number of files per run.
/// </summary>
public sealed class KubeconfigReaderFuzzTests : IDisposable
{
    private const int Cases = 200;

    private const string Valid = """
        apiVersion: v1
        kind: Config
        clusters:
        - name: fake
          cluster:
            server: http://127.0.0.1:1
        users:
        - name: u
          user:
            token: t
        contexts:
        - name: fake
          context:
            cluster: fake
            user: u
            namespace: default
        current-context: fake

        """;

    private readonly DirectoryInfo dir = Directory.CreateTempSubdirectory("kubeconfig-fuzz");

    [Fact]
    public void Any_kubeconfig_gives_a_client_or_one_clean_refusal()
    {
        var path = Path.Combine(dir.FullName, "kubeconfig");
        var files = TextMutations.Of(Valid, "current-context: ", "server: ", "certificate-authority-data: ", "- name: ", "insecure-skip-tls-verify: ")
            .ToArbitrary();
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(Cases), Prop.ForAll(files, text =>
        {
            // A lone surrogate cannot be UTF-8; it reaches the file as the replacement character, as any bad byte would.
            File.WriteAllBytes(path, new System.Text.UTF8Encoding(false, false).GetBytes(text));
            try
            {
                LifecycleContext.ConnectKubernetes(path, TimeSpan.FromSeconds(1))?.Dispose();
            }
            catch (LifecycleException refusal)
            {
                RefusalShape.Check(refusal.Message, text);
            }
        }));
    }

    public void Dispose() => dir.Delete(recursive: true);
}
