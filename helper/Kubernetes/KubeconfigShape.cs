using OmLifecycle.Cli;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace OmLifecycle.Kubernetes;

/// <summary>
/// Checks a kubeconfig's YAML on the parser's event stream before the client library reads it: the
/// library builds its object tree recursively, so a document nested thousands of levels deep would
/// overflow the stack (a crash no catch can turn into a refusal).
/// </summary>
public static class KubeconfigShape
{
    /// <summary>A kubeconfig nests about 5 levels (clusters, an entry, cluster, its fields); this leaves room for extensions.</summary>
    public const int MaxNesting = 32;

    public static void Check(string text, string what, string fix)
    {
        var depth = 0;
        try
        {
            var parser = new Parser(new StringReader(text));
            while (parser.MoveNext())
            {
                switch (parser.Current)
                {
                    case MappingStart or SequenceStart when ++depth > MaxNesting:
                        throw LifecycleException.Refused($"{what} is nested more than {MaxNesting} levels deep, which no kubeconfig is. {fix}");
                    case MappingEnd or SequenceEnd:
                        depth--;
                        break;
                }
            }
        }
        catch (YamlException e)
        {
            throw LifecycleException.Refused($"{what} is not valid YAML (line {e.Start.Line}: {CommandBoundary.OneLine(e.Message, 200)}). {fix}");
        }
        catch (InvalidOperationException e)
        {
            // YamlDotNet's scanner throws this on some broken flow mappings (found by the membership fuzz test).
            throw LifecycleException.Refused($"{what} is not valid YAML ({CommandBoundary.OneLine(e.Message, 200)}). {fix}");
        }
    }
}
