using System.Net.Sockets;
using System.Text;

namespace PaySim.Wallet.Tests.Support;

/// <summary>
/// HTTP/1.1 over a bare socket, for what HttpClient will not do: announce a body and send only part of it,
/// stream chunks without end, hold a connection open. The body keeps streaming until the server answers.
/// </summary>
internal static class RawHttp
{
    /// <summary>
    /// Sends the request head, then <paramref name="bodyBytes"/> of body (as chunks when
    /// <paramref name="chunked"/>) in 16 KiB pieces while reading; returns the status code and the response
    /// text, or 0 when the server closed without answering. Chunks end with the terminator only when
    /// <paramref name="endChunks"/>.
    /// </summary>
    public static async Task<(int Status, string Text)> PostStreamingAsync(Uri uri, string path, long declaredLength, long bodyBytes, bool chunked, TimeSpan timeout, bool endChunks = false)
    {
        using var client = new TcpClient();
        using var cts = new CancellationTokenSource(timeout);
        await client.ConnectAsync(uri.Host, uri.Port, cts.Token);
        var stream = client.GetStream();
        var framing = chunked ? "Transfer-Encoding: chunked" : $"Content-Length: {declaredLength}";
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"POST {path} HTTP/1.1\r\nHost: {uri.Authority}\r\nContent-Type: application/json\r\n{framing}\r\n\r\n"), cts.Token);

        using var stopSending = CancellationTokenSource.CreateLinkedTokenSource(cts.Token);
        var sending = SendBodyAsync(stream, bodyBytes, chunked, endChunks, stopSending.Token);
        var reply = await ReadResponseAsync(stream, cts.Token);
        await stopSending.CancelAsync();
        try
        {
            await sending;
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or SocketException)
        {
            // The server closed or answered before the body was all sent: that is the point.
        }

        return reply;
    }

    /// <summary>
    /// A POST with <paramref name="headerLines"/> written as given (a header may appear twice, which HttpClient would
    /// join into one line) and a JSON <paramref name="body"/>; returns the status code and the response text.
    /// </summary>
    public static async Task<(int Status, string Text)> PostAsync(Uri uri, string path, IEnumerable<string> headerLines, string body)
    {
        using var client = new TcpClient();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await client.ConnectAsync(uri.Host, uri.Port, cts.Token);
        var stream = client.GetStream();
        var bytes = Encoding.UTF8.GetBytes(body);
        var head = $"POST {path} HTTP/1.1\r\nHost: {uri.Authority}\r\nContent-Type: application/json\r\nContent-Length: {bytes.Length}\r\n"
            + string.Concat(headerLines.Select(h => h + "\r\n")) + "\r\n";
        await stream.WriteAsync(Encoding.UTF8.GetBytes(head), cts.Token);
        await stream.WriteAsync(bytes, cts.Token);
        return await ReadResponseAsync(stream, cts.Token);
    }

    /// <summary>Reads one response (status line, headers, Content-Length body) or (0, "") at end of stream.</summary>
    public static async Task<(int Status, string Text)> ReadResponseAsync(Stream stream, CancellationToken ct)
    {
        var received = new MemoryStream();
        var buffer = new byte[8192];
        while (true)
        {
            int n;
            try
            {
                n = await stream.ReadAsync(buffer, ct);
            }
            catch (IOException) when (received.Length == 0)
            {
                return (0, string.Empty);
            }

            if (n == 0)
            {
                return received.Length == 0 ? (0, string.Empty) : Parse(received.ToArray());
            }

            received.Write(buffer, 0, n);
            if (IsComplete(received.ToArray()))
            {
                return Parse(received.ToArray());
            }
        }
    }

    private static async Task SendBodyAsync(Stream stream, long bodyBytes, bool chunked, bool endChunks, CancellationToken ct)
    {
        var piece = Encoding.ASCII.GetBytes("{\"phone\":\"" + new string('1', 16 * 1024 - 12) + "\"");
        var chunkHead = Encoding.ASCII.GetBytes($"{piece.Length:X}\r\n");
        var crlf = "\r\n"u8.ToArray();
        for (long sent = 0; sent < bodyBytes && !ct.IsCancellationRequested; sent += piece.Length)
        {
            if (chunked)
            {
                await stream.WriteAsync(chunkHead, ct);
            }

            await stream.WriteAsync(piece, ct);
            if (chunked)
            {
                await stream.WriteAsync(crlf, ct);
            }
        }

        if (chunked && endChunks)
        {
            await stream.WriteAsync("0\r\n\r\n"u8.ToArray(), ct);
        }
    }

    private static bool IsComplete(byte[] data)
    {
        var text = Encoding.ASCII.GetString(data);
        var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (end < 0)
        {
            return false;
        }

        var head = text[..end];
        if (head.Contains("Transfer-Encoding: chunked", StringComparison.OrdinalIgnoreCase))
        {
            return text.EndsWith("\r\n0\r\n\r\n", StringComparison.Ordinal);
        }

        var length = ContentLength(head);
        return length is null || data.Length - (end + 4) >= length;
    }

    private static int? ContentLength(string head) =>
        head.Split("\r\n").FirstOrDefault(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase)) is { } line
            ? int.Parse(line["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture)
            : null;

    private static (int Status, string Text) Parse(byte[] data)
    {
        var text = Encoding.UTF8.GetString(data);
        var status = int.Parse(text.Split(' ', 3)[1], System.Globalization.CultureInfo.InvariantCulture);
        return (status, text);
    }
}
