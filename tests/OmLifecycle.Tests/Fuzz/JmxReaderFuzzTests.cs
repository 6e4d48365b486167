using FsCheck;
using FsCheck.Fluent;
using OmLifecycle.Ozone;

namespace OmLifecycle.Tests.Fuzz;

/// <summary>
/// Property: whatever an OM's /jmx servlet answers, the reader never throws; it returns a state whose
/// ids are node names, or a problem that is one clean line. A bounded number of answers per run.
/// </summary>
public sealed class JmxReaderFuzzTests
{
    private const int Cases = 1000;

    private const string Valid =
        """{"beans":[{"name":"Ratis:service=RaftServer,group=group-1,id=ozone-om-0","modelerType":"RaftServer","Id":"ozone-om-0","LeaderId":"ozone-om-0","CurrentTerm":3,"GroupId":"group-1","Role":"LEADER","Followers":["ozone-om-1|rpc:127.9.1.1:9872"]}]}""";

    [Fact]
    public void Any_answer_is_a_state_of_named_nodes_or_one_clean_problem()
    {
        var answers = TextMutations.Of(Valid, "\"Id\":", "\"LeaderId\":", "\"Role\":", "\"CurrentTerm\":", "\"beans\":", "\"\\u001b[2J\"", "{\"Role\":\"FOLLOWER\"}", "null")
            .ToArbitrary();
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(Cases), Prop.ForAll(answers, answer =>
        {
            var probe = RatisJmxClient.Parse("ozone-om-0", answer);
            if (probe.State is { } state)
            {
                state.Id.Should().Be("ozone-om-0", "a state is believed only from the node asked ({0})", RefusalShape.Preview(answer));
                (state.LeaderId ?? "").Should().MatchRegex("^[a-z0-9-]*$", "a leader id is a node name ({0})", RefusalShape.Preview(answer));
                state.Term.Should().BeGreaterThanOrEqualTo(0);
            }
            else
            {
                RefusalShape.Check(probe.Problem!, answer);
            }
        }));
    }
}
