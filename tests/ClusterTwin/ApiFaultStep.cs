using FakeKubeApi;

namespace ClusterTwin;

/// <summary>
/// An `api-fault` step (tests/scenarios/README.md): from now on the twin's API server fails the
/// requests that match, for <see cref="Count"/> requests or for <see cref="For"/> (a real duration,
/// scaled by <see cref="TwinClock"/>), as an overloaded or restarting API server does.
/// </summary>
/// <param name="Caller">om (the OM pods' service account), hooks (the hook Jobs'), any, or a service account name.</param>
public sealed record ApiFaultStep(ApiFaultKind Kind, string Caller, string Verb, string Resource, string? PathPattern, int? Count, TimeSpan? For)
{
    private static readonly string[] Verbs = ["get", "list", "watch", "create", "update", "patch", "delete", "deletecollection"];

    /// <summary>Reads the step's fields; a bad one is an error that names the field and what it takes.</summary>
    public static ApiFaultStep Parse(string step, Func<string, string?> text)
    {
        var kindText = text("fault") ?? throw Bad(step, "fault", "(missing)", "429, 500, 503, hang or drop");
        var kind = kindText switch
        {
            "429" => ApiFaultKind.TooManyRequests,
            "500" => ApiFaultKind.InternalError,
            "503" => ApiFaultKind.Unavailable,
            "hang" => ApiFaultKind.Hang,
            "drop" => ApiFaultKind.DropConnection,
            _ => throw Bad(step, "fault", kindText, "429 (with Retry-After), 500, 503, hang (no answer until the fault ends) or drop (connection closed)"),
        };
        var verb = text("verb") ?? "*";
        if (verb != "*" && verb.Split('|').Any(v => !Verbs.Contains(v)))
            throw Bad(step, "verb", verb, $"* or Kubernetes verbs joined by |: {string.Join(", ", Verbs)}");
        int? count = null;
        if (text("count") is { } countText)
            count = int.TryParse(countText, out var c) && c > 0 ? c : throw Bad(step, "count", countText, "a whole number of requests, 1 or more");
        TimeSpan? window = null;
        if (text("for") is { } forText)
            window = TwinClock.ParseDuration(forText) ?? throw Bad(step, "for", forText, "a Go duration such as 90s, 2m or 1m30s (real time; the twin scales it)");
        if (count is null && window is null) throw Bad(step, "count/for", "(neither)", "count: N (the next N matching requests fail) or for: DURATION (every matching request fails that long), or both");
        if (text("path") is { } path)
        {
            try { _ = new System.Text.RegularExpressions.Regex(path); }
            catch (ArgumentException e) { throw Bad(step, "path", path, $"a regular expression on the request path ({e.Message})"); }
        }
        return new ApiFaultStep(kind, text("caller") ?? "any", verb, text("resource") ?? "*", text("path"), count, window);
    }

    private static FormatException Bad(string step, string field, string value, string takes) =>
        new($"step '{step}': {field}: '{value}' is not valid for an api-fault step; write {takes}.");

    /// <summary>
    /// The fault as the fake API takes it; the window starts now, in twin time, and ends on the
    /// same clock as Helm's deadlines (<see cref="TwinDeadline"/>), so an outage longer than
    /// Helm's --timeout stays longer than it on a loaded machine.
    /// </summary>
    public ApiFault ToFault(string ns, string omServiceAccount)
    {
        var user = Caller switch
        {
            "any" => null,
            "om" => $"{ns}:{omServiceAccount}",
            "hooks" => $"{ns}:{omServiceAccount}-lifecycle",
            var name => $"{ns}:{name}",
        };
        if (For is not { } window) return new ApiFault(Kind, Verb, Resource, PathPattern, Count, null, user);
        var span = TwinClock.Of(window);
        var fault = new ApiFault(Kind, Verb, Resource, PathPattern, Count, DateTimeOffset.UtcNow + span * TwinDeadline.MaxStretch, user);
        _ = TwinDeadline.PassAsync(span).ContinueWith(_ => fault.End(), TaskScheduler.Default);
        return fault;
    }

    public override string ToString() =>
        $"{Kind} for {(Caller == "any" ? "every caller" : Caller)}, verb {Verb}, resource {Resource}{(PathPattern is null ? "" : $", path ~ {PathPattern}")}" +
        $"{(Count is { } n ? $", {n} requests" : "")}{(For is { } w ? $", for {TwinClock.Format(w)} ({TwinClock.Format(TwinClock.Of(w))} twin time)" : "")}";
}
