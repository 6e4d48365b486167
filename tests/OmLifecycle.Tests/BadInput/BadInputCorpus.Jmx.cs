namespace OmLifecycle.Tests.BadInput;

/// <summary>Hostile or broken answers from an OM's /jmx servlet: never believed, never printed raw, never read without bound.</summary>
public static partial class BadInputCorpus
{
    // A property, not a field: `All` (another file of this partial class) may be built before field initialisers here run.
    private static string[] ProbeReady => ["probe", "ready"];

    /// <summary>`probe ready` in ozone-om-0, a confirmed member, whose own JMX answers <paramref name="answer"/>.</summary>
    private static BadInputCase NotReady(string name, byte[] answer, params string[] says) =>
        new("jmx", name, ProbeReady, Refused, ["not ready", .. says])
        {
            Env = new Dictionary<string, string> { ["POD_NAME"] = "ozone-om-0" },
            Arrange = s => s.ConfirmedMember(),
            Jmx = OmHttpMode.Raw,
            JmxAnswer = answer,
            MustNotSay = ["ready: ozone-om-0 is"],
        };

    /// <summary>`status` outside a pod while ozone-om-0 answers <paramref name="answer"/>: the report says what is wrong and shows no raw text.</summary>
    private static BadInputCase StatusShows(string name, byte[] answer, params string[] says) =>
        new("jmx", name, Status, Done, says) { Jmx = OmHttpMode.Raw, JmxAnswer = answer };

    private static IEnumerable<BadInputCase> JmxAnswers()
    {
        const string j = "jmx";
        var ready = new Dictionary<string, string> { ["POD_NAME"] = "ozone-om-0" };
        yield return new(j, "a 1 GiB answer (Content-Length)", ProbeReady, Refused, "not ready", "larger than")
        {
            Env = ready, Arrange = s => s.ConfirmedMember(), Jmx = OmHttpMode.Raw,
            JmxAnswer = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1073741824\r\nConnection: close\r\n\r\n{\"beans\":["u8.ToArray(),
        };
        yield return new(j, "an endless chunked answer", ProbeReady, Refused, "not ready", "larger than")
        {
            Env = ready, Arrange = s => s.ConfirmedMember(), Jmx = OmHttpMode.Endless,
        };
        yield return new(j, "an OM that accepts and never answers", ProbeReady, Refused, "not ready", "unreachable")
        {
            Env = ready, Arrange = s => s.ConfirmedMember(), Jmx = OmHttpMode.Stall,
        };
        yield return NotReady("a redirect to another host (302)", FakeOmHttp.Response("302 Found", "text/html", "", "Location: http://127.0.0.2:9874/jmx\r\n"), "HTTP 302");
        yield return NotReady("a redirect to another host (307)", FakeOmHttp.Response("307 Temporary Redirect", "text/html", "", "Location: http://10.0.0.1/jmx\r\n"), "HTTP 307");
        yield return NotReady("CurrentTerm 3.5", FakeOmHttp.Bean(term: "3.5"), "CurrentTerm", "3.5");
        yield return NotReady("CurrentTerm 1e30", FakeOmHttp.Bean(term: "1e30"), "CurrentTerm", "1e30");
        yield return NotReady("CurrentTerm negative", FakeOmHttp.Bean(term: "-1"), "CurrentTerm");
        yield return NotReady("CurrentTerm a string", FakeOmHttp.Bean(term: "\"7\""), "CurrentTerm");
        yield return NotReady("CurrentTerm beyond a long", FakeOmHttp.Bean(term: "99999999999999999999999"), "CurrentTerm");
        yield return NotReady("an ANSI escape in Id", FakeOmHttp.Bean(id: "\\u001b[31mozone-om-0"), "not a valid name", "\\u001b");
        yield return NotReady("an ANSI escape in LeaderId", FakeOmHttp.Bean(leader: "\\u001b[2Jozone-om-0"), "not a valid name", "\\u001b");
        yield return NotReady("a forged log line in LeaderId", FakeOmHttp.Bean(leader: "ozone-om-0\\n{\\\"level\\\":\\\"info\\\",\\\"event\\\":\\\"forged\\\"}"), "not a valid name") with
        {
            MustNotSay = ["\n{\"level\":\"info\",\"event\":\"forged\"", "ready: ozone-om-0 is"],
        };
        yield return NotReady("an ANSI escape in Role", FakeOmHttp.Bean(role: "\\u001b[32mLEADER"), "Role");
        yield return NotReady("a Role that is not a Ratis role", FakeOmHttp.Bean(role: "KING OF THE HILL"), "Role");
        yield return NotReady("a Role of 100 KB", FakeOmHttp.Bean(role: new string('L', 100_000)), "Role");
        yield return NotReady("an Id of 100 KB", FakeOmHttp.Bean(id: new string('a', 100_000)), "not a valid name");
        yield return NotReady("another node's Id (DNS points at another OM)", FakeOmHttp.Bean(id: "ozone-om-1", leader: "ozone-om-1"), "says it is ozone-om-1");
        yield return NotReady("an HTML page with 200", FakeOmHttp.Response("200 OK", "text/html", "<html><body>login</body></html>"), "not JSON");
        yield return NotReady("an empty 200 answer", FakeOmHttp.Response("200 OK", "application/json", ""), "not JSON");
        yield return NotReady("JSON nested 10,000 deep", FakeOmHttp.Response("200 OK", "application/json", new string('[', 10_000) + new string(']', 10_000)), "not JSON");
        yield return NotReady("beans is not a list", FakeOmHttp.Response("200 OK", "application/json", """{"beans":{"Role":"LEADER"}}"""), "no 'beans' list");
        yield return NotReady("a bean without Role", FakeOmHttp.Response("200 OK", "application/json", """{"beans":[{"Id":"ozone-om-0","LeaderId":"ozone-om-0","GroupId":"g"}]}"""), "no Ratis server bean");
        yield return NotReady("HTTP 500", FakeOmHttp.Response("500 Server Error", "text/plain", "boom"), "HTTP 500");
        yield return NotReady("an answer that is not UTF-8", [.. "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 6\r\nConnection: close\r\n\r\n"u8.ToArray(), 0xff, 0xfe, 0x7b, 0xc3, 0x28, 0x7d], "not JSON");
        yield return NotReady("a truncated answer", FakeOmHttp.Response("200 OK", "application/json", """{"beans":[{"Id":"ozone-om-0","Role":"LEA"""), "not JSON");
        yield return new(j, "an unknown charset label is read as UTF-8 (Hadoop labels it utf8)", ProbeReady, Done, "ready: ozone-om-0 is LEADER, leader ozone-om-0")
        {
            Env = ready, Arrange = s => s.ConfirmedMember(), Jmx = OmHttpMode.Raw,
            JmxAnswer = FakeOmHttp.Bean(contentType: "application/json; charset=klingon-8"),
        };
        yield return StatusShows("status with an ANSI escape in Id", FakeOmHttp.Bean(id: "\\u001b[31mozone-om-0"), "\\u001b", "not a valid name") with
        {
            MustNotSay = ["leader ozone-om-0"],
        };
        yield return StatusShows("status with an ANSI escape in Role", FakeOmHttp.Bean(role: "\\u001b[5mLEADER"), "Role") with
        {
            MustNotSay = ["leader ozone-om-0"],
        };
        yield return StatusShows("status with an OM that claims another node leads", FakeOmHttp.Bean(leader: "ozone-om-77"), "ozone-om-0") with
        {
            MustNotSay = ["leader ozone-om-77"],
        };
        yield return StatusShows("status with a 1 GiB answer", "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1073741824\r\nConnection: close\r\n\r\n"u8.ToArray(), "larger than");
    }
}
