using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;
using OzoneSimulator;

namespace ClusterTwin;

/// <summary>
/// The cluster DNS server of the twin, for everything that resolves through getaddrinfo (om-lifecycle,
/// curl in a probe): the twin's /etc/resolv.conf names it and its /etc/hosts holds only localhost, so
/// glibc asks it over UDP as a pod asks CoreDNS. It answers from the same place and through the same
/// negative cache as the simulator (<see cref="ClusterDnsResolver"/> on the sim state dir), so a name
/// found missing by anyone stays missing for everyone for the negative TTL. A records only (the twin's
/// pods are IPv4); AAAA for a name that exists is an empty answer (NODATA), as CoreDNS gives for an
/// IPv4-only pod. Message format: RFC 1035 section 4.
/// </summary>
public sealed class TwinDnsServer : IDisposable
{
    private const ushort TypeA = 1;
    private const ushort ClassIn = 1;
    private const int RcodeNxDomain = 3;
    private const int RcodeFormErr = 1;

    /// <summary>The record TTL the answers carry: kubeadm's Corefile `kubernetes … { ttl 30 }`.</summary>
    private const uint AnswerTtl = 30;

    private readonly UdpClient socket;
    private readonly Func<string, string?> resolve;
    private readonly CancellationTokenSource stop = new();
    private readonly Task loop;

    public TwinDnsServer(IPEndPoint endpoint, Func<string, string?> resolve)
    {
        this.resolve = resolve;
        socket = new UdpClient(endpoint);
        loop = Task.Run(ServeAsync);
    }

    /// <summary>Where it listens (the port is the system's pick when 0 was asked).</summary>
    public IPEndPoint Endpoint => (IPEndPoint)socket.Client.LocalEndPoint!;

    /// <summary>The twin's DNS address: 127.&lt;subnet&gt;.255.53, outside the pods' 127.&lt;subnet&gt;.&lt;ordinal&gt;.&lt;octet&gt;.</summary>
    public static IPAddress AddressFor(int subnet) => IPAddress.Parse($"127.{subnet}.255.53");

    /// <summary>What the twin's /etc/resolv.conf says: only this server, no search domains (the chart uses full names).</summary>
    public static string ResolvConf(int subnet) => $"nameserver {AddressFor(subnet)}\n";

    private async Task ServeAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            UdpReceiveResult request;
            try { request = await socket.ReceiveAsync(stop.Token); }
            catch (OperationCanceledException) { return; }
            catch (SocketException) { continue; }
            if (Answer(request.Buffer, resolve) is not { } reply) continue;
            try { await socket.SendAsync(reply, request.RemoteEndPoint, stop.Token); }
            catch (OperationCanceledException) { return; }
            catch (SocketException) { }
        }
    }

    /// <summary>
    /// The reply to one query message, or null for one not worth answering (a response, or too short
    /// to carry an id). One question is answered; a name that does not resolve is NXDOMAIN whatever the type.
    /// </summary>
    public static byte[]? Answer(byte[] query, Func<string, string?> resolve)
    {
        if (query.Length < 12 || (query[2] & 0x80) != 0) return null;
        var flags = BinaryPrimitives.ReadUInt16BigEndian(query.AsSpan(2));
        if (BinaryPrimitives.ReadUInt16BigEndian(query.AsSpan(4)) != 1 || !TryReadQuestion(query, out var name, out var type, out var questionEnd))
            return Header(query, flags, RcodeFormErr, answers: 0, question: []);
        var question = query.AsSpan(12, questionEnd - 12).ToArray();
        var ip = resolve(name.TrimEnd('.').ToLowerInvariant());
        if (ip is null) return Header(query, flags, RcodeNxDomain, answers: 0, question);
        if (type != TypeA || !IPAddress.TryParse(ip, out var address) || address.AddressFamily != AddressFamily.InterNetwork)
            return Header(query, flags, 0, answers: 0, question);
        var answer = new byte[16];
        BinaryPrimitives.WriteUInt16BigEndian(answer, 0xC00C); // the name: a pointer to the question's
        BinaryPrimitives.WriteUInt16BigEndian(answer.AsSpan(2), TypeA);
        BinaryPrimitives.WriteUInt16BigEndian(answer.AsSpan(4), ClassIn);
        BinaryPrimitives.WriteUInt32BigEndian(answer.AsSpan(6), AnswerTtl);
        BinaryPrimitives.WriteUInt16BigEndian(answer.AsSpan(10), 4);
        address.GetAddressBytes().CopyTo(answer, 12);
        return [.. Header(query, flags, 0, answers: 1, question), .. answer];
    }

    /// <summary>Header (id copied; QR, AA, RA set; RD copied) and the question, for a reply with <paramref name="answers"/> records to follow.</summary>
    private static byte[] Header(byte[] query, ushort queryFlags, int rcode, int answers, byte[] question)
    {
        var reply = new byte[12 + question.Length];
        reply[0] = query[0];
        reply[1] = query[1];
        var flags = (ushort)(0x8000 | 0x0400 | (queryFlags & 0x0100) | 0x0080 | rcode);
        BinaryPrimitives.WriteUInt16BigEndian(reply.AsSpan(2), flags);
        BinaryPrimitives.WriteUInt16BigEndian(reply.AsSpan(4), (ushort)(question.Length > 0 ? 1 : 0));
        BinaryPrimitives.WriteUInt16BigEndian(reply.AsSpan(6), (ushort)answers);
        question.CopyTo(reply, 12);
        return reply;
    }

    private static bool TryReadQuestion(byte[] message, out string name, out ushort type, out int end)
    {
        var labels = new List<string>();
        var at = 12;
        name = "";
        type = 0;
        end = 0;
        while (true)
        {
            if (at >= message.Length) return false;
            int length = message[at++];
            if (length == 0) break;
            // A question carries its name whole: compression pointers (0xC0) and long labels are malformed here.
            if (length > 63 || at + length > message.Length) return false;
            labels.Add(Encoding.ASCII.GetString(message, at, length));
            at += length;
        }
        if (at + 4 > message.Length) return false;
        type = BinaryPrimitives.ReadUInt16BigEndian(message.AsSpan(at));
        end = at + 4;
        name = string.Join('.', labels);
        return true;
    }

    public void Dispose()
    {
        stop.Cancel();
        socket.Dispose();
        try { loop.Wait(TimeSpan.FromSeconds(5)); } catch (AggregateException) { }
        stop.Dispose();
    }
}
