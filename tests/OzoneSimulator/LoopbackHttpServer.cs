using System.Net;
using System.Net.Sockets;
using System.Text;

namespace OzoneSimulator;

/// <summary>What a simulated web server answers to one request.</summary>
/// <param name="Chunked">Jetty streams a servlet's answer chunked; otherwise a Content-Length is sent.</param>
/// <param name="ExtraHeaders">Header lines, each ending in CRLF, sent before Content-Type.</param>
public sealed record HttpAnswer(string Status, string Body, bool Chunked = false, string ExtraHeaders = "");

/// <summary>
/// A plain HTTP/1.1 socket server bound to one address, one request per connection. Not
/// HttpListener: that matches on the Host header, and clients ask by a pod's DNS name, not its IP.
/// Every Ozone web server of the simulator is one of these with its own answer function.
/// </summary>
public sealed class LoopbackHttpServer(string ip, int port, Func<string, HttpAnswer> answer) : IDisposable
{
    private readonly TcpListener listener = new(IPAddress.Parse(ip), port);

    /// <summary>Binds the port (a SocketException if it is taken) and serves in the background.</summary>
    public void Start()
    {
        listener.Start();
        _ = Task.Run(ServeAsync);
    }

    public void Dispose() => listener.Stop();

    private async Task ServeAsync()
    {
        while (true)
        {
            TcpClient client;
            try { client = await listener.AcceptTcpClientAsync(); }
            catch (Exception e) when (e is SocketException or ObjectDisposedException or InvalidOperationException) { return; }
            _ = Task.Run(() => AnswerAsync(client));
        }
    }

    private async Task AnswerAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                if (await HttpRequestTarget.ReadAsync(stream) is not { } target) return;
                var reply = answer(target);
                var bytes = Encoding.UTF8.GetBytes(reply.Body);
                var length = reply.Chunked ? "Transfer-Encoding: chunked" : $"Content-Length: {bytes.Length}";
                await stream.WriteAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 {reply.Status}\r\n{reply.ExtraHeaders}Content-Type: application/json; charset=utf8\r\n{length}\r\nConnection: close\r\n\r\n"));
                if (!reply.Chunked)
                {
                    await stream.WriteAsync(bytes);
                    return;
                }
                await stream.WriteAsync(Encoding.ASCII.GetBytes($"{bytes.Length:x}\r\n"));
                await stream.WriteAsync(bytes);
                await stream.WriteAsync("\r\n0\r\n\r\n"u8.ToArray());
            }
            catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or IndexOutOfRangeException)
            {
            }
        }
    }
}
