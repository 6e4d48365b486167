using System.Net.Sockets;
using System.Text;

namespace OzoneSimulator;

/// <summary>The request target of a plain HTTP/1.1 request, read up to the end of its head; null when the client hung up first.</summary>
public static class HttpRequestTarget
{
    public static async Task<string?> ReadAsync(NetworkStream stream)
    {
        var request = new StringBuilder();
        var buffer = new byte[4096];
        while (!request.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
        {
            var read = await stream.ReadAsync(buffer);
            if (read == 0) return null;
            request.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }
        return request.ToString().Split(' ')[1];
    }
}
