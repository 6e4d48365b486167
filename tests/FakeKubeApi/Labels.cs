using System.Text.Json.Nodes;

namespace FakeKubeApi;

/// <summary>Equality-based label selectors ("a=b,c=d", "a!=b", "a"), as LIST takes them.</summary>
public static class Labels
{
    public static bool Match(JsonObject obj, string? selector)
    {
        if (string.IsNullOrWhiteSpace(selector)) return true;
        var labels = obj["metadata"]?["labels"] as JsonObject;
        string? Label(string key) => labels?[key]?.GetValue<string>();
        foreach (var term in selector.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (term.Contains("!=", StringComparison.Ordinal))
            {
                var p = term.Split("!=", 2);
                if (Label(p[0].Trim()) == p[1].Trim()) return false;
            }
            else if (term.Contains('='))
            {
                var p = term.Split('=', 2);
                if (Label(p[0].Trim().TrimEnd('=')) != p[1].Trim().TrimStart('=')) return false;
            }
            else if (Label(term) is null) return false;
        }
        return true;
    }
}
