using System.Text;

namespace OmLifecycle.Cli;

/// <summary>
/// How text om-lifecycle did not write (command-line values, environment variables, paths, ids from
/// JMX, keys of a document) is shown in a message or a log: control characters (ANSI escapes, newlines
/// that would forge a log line) as \uXXXX, and never more than <c>max</c> characters.
/// </summary>
public static class UntrustedText
{
    /// <summary>The default cap: a node id or a path fits, a 120 KB argument does not flood the terminal.</summary>
    public const int DefaultMax = 80;

    public static string Show(string? text, int max = DefaultMax)
    {
        if (text is null) return "";
        var cut = text.Length > max;
        var shown = new StringBuilder(Math.Min(text.Length, max) + 32);
        foreach (var c in cut ? text.AsSpan(0, max) : text.AsSpan())
        {
            if (char.IsControl(c) || c is '\u2028' or '\u2029') shown.Append($"\\u{(int)c:x4}");
            else shown.Append(c);
        }
        if (cut) shown.Append($"… ({text.Length} characters)");
        return shown.ToString();
    }

    /// <summary>True when <paramref name="text"/> would be shown differently (escaped or cut): a sign it is not what a person typed.</summary>
    public static bool NeedsEscaping(string text) => text.Any(c => char.IsControl(c) || c is '\u2028' or '\u2029');
}
