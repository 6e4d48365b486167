using System.Net;
using System.Net.Sockets;
using System.Text;

namespace OmLifecycle.Tests.BadInput;

/// <summary>How a hostile or broken OM answers GET /jmx on its HTTP port.</summary>
public enum OmHttpMode
{
    /// <summary>Writes the case's raw HTTP response and closes.</summary>
    Raw,

    /// <summary>A 200 whose chunked body never ends (capped at 64 MiB so a broken client cannot make the test run forever).</summary>
    Endless,

    /// <summary>Accepts the connection and never answers.</summary>
    Stall,
}

/// <summary>One OM's HTTP port on loopback that answers every request the same hostile way.</summary>
public sealed class FakeOmHttp : IDisposable
{
    private const long EndlessCap = 64L << 20;
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource stop = new();

    public FakeOmHttp(OmHttpMode mode, byte[] raw)
    {
        listener.Start();
        _ = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                TcpClient client;
                try { client = await listener.AcceptTcpClientAsync(stop.Token); }
                catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException) { return; }
                _ = Task.Run(() => AnswerAsync(client, mode, raw));
            }
        });
    }

    public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

    /// <summary>A JMX answer with one Raft server bean, as Ozone's /jmx servlet gives it (tests/fixtures/ozone holds real ones).</summary>
    public static byte[] Bean(string id = "ozone-om-0", string leader = "ozone-om-0", string role = "   LEADER", string term = "3", string contentType = "application/json; charset=utf8")
    {
        var body = $$"""{"beans":[{"name":"Ratis:service=RaftServer,group=group-1,id={{id}}","modelerType":"RaftServer","Id":"{{id}}","LeaderId":"{{leader}}","CurrentTerm":{{term}},"GroupId":"group-1","Role":"{{role}}","Followers":["ozone-om-1|rpc:127.9.1.1:9872"]}]}""";
        return Response("200 OK", contentType, body);
    }

    public static byte[] Response(string status, string contentType, string body, string extraHeaders = "") =>
        Encoding.UTF8.GetBytes($"HTTP/1.1 {status}\r\nContent-Type: {contentType}\r\nContent-Length: {Encoding.UTF8.GetByteCount(body)}\r\n{extraHeaders}Connection: close\r\n\r\n{body}");

    private async Task AnswerAsync(TcpClient client, OmHttpMode mode, byte[] raw)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                var buffer = new byte[8192];
                var seen = new StringBuilder();
                while (!seen.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
                {
                    var read = await stream.ReadAsync(buffer, stop.Token);
                    if (read == 0) return;
                    seen.Append(Encoding.ASCII.GetString(buffer, 0, read));
                }
                switch (mode)
                {
                    case OmHttpMode.Raw:
                        await stream.WriteAsync(raw, stop.Token);
                        break;
                    case OmHttpMode.Stall:
                        await Task.Delay(Timeout.Infinite, stop.Token);
                        break;
                    case OmHttpMode.Endless:
                        await stream.WriteAsync("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"u8.ToArray(), stop.Token);
                        var chunk = Encoding.ASCII.GetBytes($"{64 * 1024:x}\r\n{new string(' ', 64 * 1024)}\r\n");
                        for (long sent = 0; sent < EndlessCap; sent += 64 * 1024) await stream.WriteAsync(chunk, stop.Token);
                        break;
                }
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // The client hung up (as it should on an endless answer) or the test ended.
            }
        }
    }

    public void Dispose()
    {
        stop.Cancel();
        listener.Stop();
    }
}
