using System.Text;
using FsCheck;
using FsCheck.Fluent;

namespace OmLifecycle.Tests.Fuzz;

/// <summary>
/// Generates hostile variants of a valid text (a membership document, a JMX answer, a kubeconfig):
/// a few edits at random places, each inserting, deleting, repeating or replacing text with
/// tokens that parsers trip over (escapes, NULs, structure characters, huge numbers, deep nesting).
/// Starting from a valid text keeps most variants close enough to be parsed far, not refused at byte 1.
/// </summary>
public static class TextMutations
{
    private enum Kind { Insert, Delete, ReplaceLine, RepeatLine, Nest }

    private sealed record Edit(Kind Kind, int Where, int Length, string Token);

    /// <summary>Tokens common to YAML and JSON trouble; <paramref name="extra"/> adds format-specific ones.</summary>
    private static readonly string[] CommonTokens =
    [
        "\u001b[31m", "\u001b]0;x\u0007", "\0", "\n", "\r\n", "\t", "\u2028", "\ufeff", "\ud800", "é", "漢",
        "[", "]", "{", "}", ",", ":", ": ", "- ", "\"", "'", "\\", "#", "&a ", "*a", "!!binary ", "!!map ", "<<: ", "? ",
        "---\n", "...\n", "%YAML 1.1\n", "|\n", ">-\n", "null", "~", "true", "-1", "0", "3.5", "1e30", "99999",
        "99999999999999999999999", "NaN", "0x1F", "ozone-om-0", "ozone-om-99", "LEADER", "/", "..", "//",
    ];

    public static Gen<string> Of(string valid, params string[] extra)
    {
        var tokens = CommonTokens.Concat(extra).ToArray();
        var token = Gen.OneOf(
            Gen.Elements(tokens),
            Gen.Elements(tokens).ArrayOf().Select(parts => string.Concat(parts)),
            Gen.Choose(1, 5000).Select(n => new string('x', n)));
        var edit =
            from kind in Gen.Elements(Enum.GetValues<Kind>())
            from position in Gen.Choose(0, int.MaxValue - 1)
            from length in Gen.Choose(1, 200)
            from text in token
            select new Edit(kind, position, length, text);
        return Gen.Choose(1, 4).SelectMany(count => edit.ArrayOf(count)).Select(edits => edits.Aggregate(valid, Apply));
    }

    private static string Apply(string text, Edit edit)
    {
        var at = text.Length == 0 ? 0 : edit.Where % (text.Length + 1);
        var lines = text.Split('\n');
        var line = edit.Where % lines.Length;
        switch (edit.Kind)
        {
            case Kind.Insert:
                return text.Insert(at, edit.Token);
            case Kind.Delete:
                return text.Remove(Math.Min(at, text.Length), Math.Min(edit.Length, text.Length - Math.Min(at, text.Length)));
            case Kind.ReplaceLine:
                lines[line] = edit.Token;
                return string.Join('\n', lines);
            case Kind.RepeatLine:
                var repeated = new StringBuilder();
                for (var i = 0; i < edit.Length * 10; i++) repeated.Append(lines[line]).Append('\n');
                return string.Join('\n', lines.Take(line)) + "\n" + repeated + string.Join('\n', lines.Skip(line + 1));
            default:
                // Flow nesting far deeper than any real document, opened and (sometimes) closed.
                var depth = edit.Length * 50;
                var nest = new string(edit.Where % 2 == 0 ? '[' : '{', depth) + (edit.Where % 3 == 0 ? "" : new string(edit.Where % 2 == 0 ? ']' : '}', depth));
                return text.Insert(at, nest);
        }
    }
}
