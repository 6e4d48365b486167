using FsCheck;
using FsCheck.Fluent;
using OmLifecycle.Cli;
using OmLifecycle.Membership;
using OmLifecycle.Tests.Membership;

namespace OmLifecycle.Tests.Fuzz;

/// <summary>
/// Property: whatever the membership document holds, the parser returns a document or refuses with
/// a <see cref="LifecycleException"/> whose message is one clean line; no other exception, no crash.
/// A bounded number of generated documents per run (FsCheck prints the seed of a failing one).
/// </summary>
public sealed class MembershipParserFuzzTests
{
    private const int Cases = 400;

    [Fact]
    public void Any_document_is_parsed_or_refused_with_one_clean_line()
    {
        var valid = new MembershipYaml().Render();
        var documents = TextMutations.Of(valid, "replicas: ", "nodes:\n", "  - id: ", "    host: ", "timeouts:\n", "metadataDir: ", "ports: {", "version: 2")
            .ToArbitrary();
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(Cases), Prop.ForAll(documents, document =>
        {
            try
            {
                MembershipLoader.Parse(document);
            }
            catch (LifecycleException refusal)
            {
                RefusalShape.Check(refusal.Message, document);
            }
        }));
    }
}
