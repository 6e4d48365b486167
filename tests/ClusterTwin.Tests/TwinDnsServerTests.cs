using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;
using OzoneSimulator;

namespace ClusterTwin.Tests;

/// <summary>
/// The twin's DNS server (<see cref="TwinDnsServer"/>), which getaddrinfo asks inside the twin as a pod
/// asks CoreDNS: RFC 1035 messages, answers from cluster DNS's answers through the negative cache
/// that the simulator shares (kubeadm's Corefile `ttl 30`, `cache 30`). The clock is passed in.
/// </summary>
public sealed class TwinDnsServerTests : IDisposable
{
    private const string Name = "ozone-om-3.ozone-om-headless.default.svc.cluster.local";
    private readonly string dir = Directory.CreateTempSubdirectory("twin-dns-server").FullName;
    private DateTime now = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private void Publish(string json) => File.WriteAllText(Path.Combine(dir, "hosts.json"), json);

    private Func<string, string?> Resolver()
    {
        var resolver = new ClusterDnsResolver(dir, TimeSpan.FromSeconds(30));
        return name => resolver.Resolve(name, now);
    }

    [Fact]
    public async Task An_A_query_over_UDP_gets_the_pod_IP_and_a_missing_name_gets_NXDOMAIN()
    {
        Publish($$"""{"{{Name}}":"127.87.3.1"}""");
        using var server = new TwinDnsServer(new IPEndPoint(IPAddress.Loopback, 0), Resolver());
        using var client = new UdpClient();

        var found = await AskAsync(client, server.Endpoint, Name, type: 1);
        var missing = await AskAsync(client, server.Endpoint, "ozone-om-9.ozone-om-headless.default.svc.cluster.local", type: 1);

        Rcode(found).Should().Be(0);
        Answers(found).Should().Be(1);
        new IPAddress(found.AsSpan(found.Length - 4)).ToString().Should().Be("127.87.3.1");
        Rcode(missing).Should().Be(3, "NXDOMAIN");
        Answers(missing).Should().Be(0);
    }

    [Fact]
    public void A_name_found_missing_stays_NXDOMAIN_for_the_negative_TTL_after_its_pod_appears()
    {
        var resolve = Resolver();
        Publish("{}");
        Rcode(TwinDnsServer.Answer(Query(Name, 1), resolve)!).Should().Be(3);

        Publish($$"""{"{{Name}}":"127.87.3.1"}""");
        now = now.AddSeconds(29);
        Rcode(TwinDnsServer.Answer(Query(Name, 1), resolve)!).Should().Be(3, "CoreDNS keeps the NXDOMAIN up to 30 s");
        now = now.AddSeconds(1);
        Rcode(TwinDnsServer.Answer(Query(Name, 1), resolve)!).Should().Be(0);
    }

    [Fact]
    public void An_AAAA_query_for_an_IPv4_pod_is_an_empty_answer_and_the_reply_echoes_id_and_question()
    {
        Publish($$"""{"{{Name}}":"127.87.3.1"}""");
        var query = Query(Name.ToUpperInvariant(), 28);

        var reply = TwinDnsServer.Answer(query, Resolver())!;

        Rcode(reply).Should().Be(0, "the name exists; it has no IPv6 address (NODATA)");
        Answers(reply).Should().Be(0);
        reply.AsSpan(0, 2).ToArray().Should().Equal(query.AsSpan(0, 2).ToArray());
        (reply[2] & 0x80).Should().Be(0x80, "QR: a response");
        reply.AsSpan(12).ToArray().Should().Equal(query.AsSpan(12).ToArray(), "the question is sent back as asked");
    }

    [Fact]
    public void A_malformed_query_gets_FORMERR_and_a_response_gets_nothing()
    {
        var truncated = Query(Name, 1)[..20];
        Rcode(TwinDnsServer.Answer(truncated, Resolver())!).Should().Be(1);

        var response = Query(Name, 1);
        response[2] |= 0x80;
        TwinDnsServer.Answer(response, Resolver()).Should().BeNull();
    }

    private static int Rcode(byte[] reply) => reply[3] & 0x0F;

    private static int Answers(byte[] reply) => BinaryPrimitives.ReadUInt16BigEndian(reply.AsSpan(6));

    private static async Task<byte[]> AskAsync(UdpClient client, IPEndPoint server, string name, ushort type)
    {
        await client.SendAsync(Query(name, type), server);
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        return (await client.ReceiveAsync(limit.Token)).Buffer;
    }

    /// <summary>A standard query as glibc sends it: id, RD set, one question.</summary>
    private static byte[] Query(string name, ushort type)
    {
        var message = new List<byte> { 0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0 };
        foreach (var label in name.Split('.'))
        {
            message.Add((byte)label.Length);
            message.AddRange(Encoding.ASCII.GetBytes(label));
        }
        message.AddRange(new byte[] { 0, (byte)(type >> 8), (byte)type, 0, 1 });
        return [.. message];
    }
}
