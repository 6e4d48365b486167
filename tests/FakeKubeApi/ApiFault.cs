using System.Text.RegularExpressions;

namespace FakeKubeApi;

/// <summary>How a faulty request fails.</summary>
public enum ApiFaultKind
{
    /// <summary>429 with "Retry-After: 1" (API Priority and Fairness rejecting a request: k8s.io/apiserver pkg/server/filters/priority-and-fairness.go, tooManyRequests).</summary>
    TooManyRequests,

    /// <summary>500 InternalError (etcd trouble, a panicking handler).</summary>
    InternalError,

    /// <summary>503 ServiceUnavailable (an apiserver restarting, a load balancer without backends).</summary>
    Unavailable,

    /// <summary>The request is taken and never answered while the fault lasts; the client's own timeout ends it.</summary>
    Hang,

    /// <summary>The connection is closed without an answer.</summary>
    DropConnection,
}

/// <summary>
/// A fault for the requests that match: a verb (get, list, create, update, patch, delete, or * for
/// all), a resource ("configmaps", "statefulsets/scale", or *), a regular expression on the path
/// (null: any), and a user (a service account "namespace:name" as the token names it; null: any
/// caller). It fails the first <see cref="Count"/> matching requests, or every one until
/// <see cref="Until"/>; with neither, every one until it is removed.
/// </summary>
public sealed class ApiFault(ApiFaultKind kind, string verb = "*", string resource = "*", string? path = null, int? count = null, DateTimeOffset? until = null, string? user = null)
{
    private readonly Regex? pathPattern = path is null ? null : new Regex(path, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
    private int left = count ?? int.MaxValue;

    public ApiFaultKind Kind { get; } = kind;

    public int? Count { get; } = count;

    public DateTimeOffset? Until { get; } = until;

    /// <summary>Requests this fault has failed so far.</summary>
    public int Hits => Volatile.Read(ref hits);

    private int hits;

    private volatile bool ended;

    /// <summary>Ends the fault now, before <see cref="Until"/>: for a window its owner measures on another clock.</summary>
    public void End() => ended = true;

    public bool Expired(DateTimeOffset now) => Volatile.Read(ref left) <= 0 || WindowEnded(now);

    /// <summary>Whether the fault's time window is over (a hang is held until then); a count-only fault has none.</summary>
    public bool WindowEnded(DateTimeOffset now) => ended || (Until is { } end && now >= end);

    /// <summary>Whether this request fails; counts it when it does.</summary>
    public bool Takes(RequestAttributes request, string? caller, DateTimeOffset now)
    {
        if (Expired(now)) return false;
        if (verb != "*" && !verb.Split('|').Contains(request.Verb, StringComparer.Ordinal)) return false;
        if (resource != "*" && (!request.IsResourceRequest || !resource.Split('|').Contains(request.ResourcePath, StringComparer.Ordinal))) return false;
        if (pathPattern is not null && !pathPattern.IsMatch(request.Path)) return false;
        if (user is not null && user != caller) return false;
        if (Interlocked.Decrement(ref left) < 0) return false;
        Interlocked.Increment(ref hits);
        return true;
    }
}
