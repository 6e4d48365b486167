using System.Text.Json;

namespace OzoneSimulator;

/// <summary>
/// A pod's name lookup against cluster DNS. The answers are hosts.json, which the twin writes from
/// EndpointSlices (what CoreDNS would serve now); between them and the caller sits CoreDNS's cache,
/// one for every simulator process, as one CoreDNS serves every pod. A name that was missing stays
/// missing for the negative TTL even after it appears: kubeadm's Corefile (v1.35
/// cmd/kubeadm/app/phases/addons/dns/manifests.go) has `kubernetes … { ttl 30 }` and `cache 30`, so an
/// NXDOMAIN carries an SOA minimum of 30 s and CoreDNS v1.12 plugin/cache keeps it for up to 30 s
/// (denial capped at the `cache` TTL). The JVM's own negative cache (networkaddress.cache.negative.ttl,
/// 10 s in java.security) is shorter, so CoreDNS's is the one that counts. Positive answers are not
/// cached here: the twin's pod IPs never change for a name, so a stale answer would be the same one.
/// </summary>
public sealed class ClusterDnsResolver(string dir, TimeSpan negativeTtl)
{
    /// <summary>The negative TTL in real seconds (the twin sets 30 s in twin time); unset or 0: no cache.</summary>
    public const string NegativeTtlVariable = "OZONE_SIM_DNS_NEGATIVE_TTL_SECONDS";

    private const string CacheFile = "dns-negative-cache.json";

    public static TimeSpan NegativeTtlFromEnvironment() =>
        double.TryParse(Environment.GetEnvironmentVariable(NegativeTtlVariable), System.Globalization.CultureInfo.InvariantCulture, out var s) && s > 0
            ? TimeSpan.FromSeconds(s)
            : TimeSpan.Zero;

    /// <summary>The address of <paramref name="host"/>, or null (NXDOMAIN). An IP literal resolves to itself.</summary>
    public string? Resolve(string host, DateTime now)
    {
        if (System.Net.IPAddress.TryParse(host, out _)) return host;
        var answer = Answer(host);
        if (negativeTtl <= TimeSpan.Zero) return answer;
        // Read without the lock (the file is replaced by rename): most lookups hit and cached nothing.
        if (answer is not null && !CachedMissing(ReadCache(), host, now)) return answer;
        return LockedJsonFile.Update<Dictionary<string, DateTime>, string?>(dir, CacheFile, "dns.lock", cache =>
        {
            foreach (var expired in cache.Where(kv => kv.Value <= now).Select(kv => kv.Key).ToList()) cache.Remove(expired);
            if (CachedMissing(cache, host, now)) return null;
            if (answer is null) cache[host] = now + negativeTtl;
            return answer;
        });
    }

    private static bool CachedMissing(Dictionary<string, DateTime> cache, string host, DateTime now) =>
        cache.TryGetValue(host, out var until) && until > now;

    private Dictionary<string, DateTime> ReadCache()
    {
        var path = Path.Combine(dir, CacheFile);
        return File.Exists(path) ? JsonSerializer.Deserialize<Dictionary<string, DateTime>>(File.ReadAllText(path), SimState.Json) ?? [] : [];
    }

    private string? Answer(string host)
    {
        var path = Path.Combine(dir, "hosts.json");
        if (!File.Exists(path)) return null;
        var hosts = JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(path)) ?? [];
        return hosts.TryGetValue(host, out var ip) ? ip : null;
    }
}
