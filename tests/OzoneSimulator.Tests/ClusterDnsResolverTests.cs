namespace OzoneSimulator.Tests;

/// <summary>
/// Cluster DNS as the simulator sees it (<see cref="ClusterDnsResolver"/>): the twin's answers behind
/// CoreDNS's negative cache (kubeadm's Corefile: kubernetes `ttl 30`, `cache 30`; CoreDNS v1.12
/// plugin/cache keeps an NXDOMAIN up to the SOA minimum, capped at 30 s). Time is passed in, so no
/// test waits.
/// </summary>
public sealed class ClusterDnsResolverTests : IDisposable
{
    private const string Name = "om-0.om-headless.default.svc.cluster.local";
    private static readonly DateTime T0 = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private readonly string dir = Directory.CreateTempSubdirectory("cluster-dns-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private void Publish(string json) => File.WriteAllText(Path.Combine(dir, "hosts.json"), json);

    [Fact]
    public void A_name_that_was_missing_stays_missing_for_the_negative_ttl_after_it_appears()
    {
        var resolver = new ClusterDnsResolver(dir, TimeSpan.FromSeconds(30));
        Publish("{}");
        resolver.Resolve(Name, T0).Should().BeNull();

        Publish($$"""{"{{Name}}":"127.0.0.5"}""");

        resolver.Resolve(Name, T0.AddSeconds(29)).Should().BeNull("the NXDOMAIN is cached for 30 s");
        resolver.Resolve(Name, T0.AddSeconds(30)).Should().Be("127.0.0.5");
    }

    [Fact]
    public void The_cache_is_shared_by_every_resolver_of_the_cluster()
    {
        Publish("{}");
        new ClusterDnsResolver(dir, TimeSpan.FromSeconds(30)).Resolve(Name, T0).Should().BeNull();
        Publish($$"""{"{{Name}}":"127.0.0.5"}""");

        new ClusterDnsResolver(dir, TimeSpan.FromSeconds(30)).Resolve(Name, T0.AddSeconds(1)).Should().BeNull("another process asks the same CoreDNS");
    }

    [Fact]
    public void A_cached_miss_is_not_extended_by_asking_again()
    {
        var resolver = new ClusterDnsResolver(dir, TimeSpan.FromSeconds(30));
        Publish("{}");
        resolver.Resolve(Name, T0).Should().BeNull();
        resolver.Resolve(Name, T0.AddSeconds(20)).Should().BeNull();
        Publish($$"""{"{{Name}}":"127.0.0.5"}""");

        resolver.Resolve(Name, T0.AddSeconds(30)).Should().Be("127.0.0.5", "a cache hit does not restart the TTL");
    }

    [Fact]
    public void A_name_that_resolved_is_not_hidden_and_other_names_are_not_affected()
    {
        var resolver = new ClusterDnsResolver(dir, TimeSpan.FromSeconds(30));
        Publish($$"""{"{{Name}}":"127.0.0.5"}""");
        resolver.Resolve("om-9.om-headless.default.svc.cluster.local", T0).Should().BeNull();

        resolver.Resolve(Name, T0.AddSeconds(1)).Should().Be("127.0.0.5");
        resolver.Resolve("127.0.0.7", T0).Should().Be("127.0.0.7", "an IP literal is not looked up");
    }

    [Fact]
    public void Without_a_negative_ttl_a_new_name_resolves_at_once()
    {
        var resolver = new ClusterDnsResolver(dir, TimeSpan.Zero);
        Publish("{}");
        resolver.Resolve(Name, T0).Should().BeNull();
        Publish($$"""{"{{Name}}":"127.0.0.5"}""");

        resolver.Resolve(Name, T0).Should().Be("127.0.0.5");
    }
}
