namespace OmLifecycle.Tests.Fuzz;

/// <summary>What every refusal message must look like, whatever input caused it (issue 10, points 1 and 2).</summary>
public static class RefusalShape
{
    /// <summary>The cap CommandBoundary puts on a refusal line, with room for the "om-lifecycle: " prefix.</summary>
    public const int MaxLength = 4000;

    public static void Check(string message, string input)
    {
        var because = $"the refusal of a generated input ({Preview(input)}) is one readable line";
        message.Should().NotBeNullOrWhiteSpace(because);
        message.Length.Should().BeLessThanOrEqualTo(MaxLength, because);
        message.Where(c => char.IsControl(c) || c is '\u2028' or '\u2029').Should().BeEmpty(because + " with no raw control character");
    }

    /// <summary>The input as a failure report can show it: escaped and short.</summary>
    public static string Preview(string input) => OmLifecycle.Cli.UntrustedText.Show(input, 300);
}
