using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace PaySim.Benchmarks.Tools;

/// <summary>
/// HTTP/1.1 with no HttpClient at all: C keep-alive sockets, each sending one fixed GET and reading its
/// answer (Content-Length or chunked framing) before the next, as wrk does. It shows where the floor of an
/// HttpClient-based load tool lies: if this loop reaches wrk and the HttpClient loop does not, the gap
/// is HttpClient's per-request cost, not the engine's.
/// </summary>
internal sealed class RawSocketHttpClient : ITool
{
    public string Name => "raw-socket-http-client";

    public string Usage => "--url URL --connections 16 --duration 10s [--warmup 2s]";

    public IReadOnlyCollection<string> Options { get; } = ["url", "connections", "duration", "warmup"];

    public async Task<int> RunAsync(ToolArguments args)
    {
        var url = args.GetUri("url");
        if (url.Scheme != "http")
        {
            throw new UsageException($"--url must be plain http:// (this client speaks HTTP/1.1 without TLS), got '{url}'");
        }

        var connections = args.GetInt("connections", 16, 1, 10_000);
        var duration = args.GetDuration("duration", TimeSpan.FromSeconds(10));
        var warmup = args.GetDuration("warmup", TimeSpan.FromSeconds(2));
        var request = Encoding.ASCII.GetBytes(
            $"GET {url.PathAndQuery} HTTP/1.1\r\nHost: {url.Authority}\r\nConnection: keep-alive\r\n\r\n");

        var sockets = new Socket[connections];
        for (var i = 0; i < connections; i++)
        {
            sockets[i] = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await sockets[i].ConnectAsync(url.Host, url.Port);
        }

        var start = Stopwatch.GetTimestamp();
        var measureFrom = start + (long)(warmup.TotalSeconds * Stopwatch.Frequency);
        var stopAt = measureFrom + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var recorders = new LatencyRecorder[connections];
        var workers = new Task[connections];
        for (var i = 0; i < connections; i++)
        {
            var recorder = recorders[i] = new LatencyRecorder();
            var socket = sockets[i];
            workers[i] = Task.Run(() => LoopAsync(socket, request, recorder, measureFrom, stopAt));
        }

        try
        {
            await Task.WhenAll(workers);
        }
        finally
        {
            foreach (var socket in sockets)
            {
                socket.Dispose();
            }
        }

        Console.WriteLine(LatencyRecorder.Merge(Name, recorders, duration).ToJson());
        return 0;
    }

    private static async Task LoopAsync(Socket socket, byte[] request, LatencyRecorder recorder, long measureFrom, long stopAt)
    {
        var buffer = new byte[16 * 1024];
        while (true)
        {
            var t0 = Stopwatch.GetTimestamp();
            if (t0 >= stopAt)
            {
                return;
            }

            await socket.SendAsync(request, SocketFlags.None);
            var status = await ReadResponseAsync(socket, buffer);
            var t1 = Stopwatch.GetTimestamp();
            if (t0 >= measureFrom && t1 <= stopAt)
            {
                if (status is >= 200 and < 300)
                {
                    recorder.RecordOk(t0, t1);
                }
                else
                {
                    recorder.RecordFail();
                }
            }
        }
    }

    /// <summary>
    /// Reads one response (headers, then a Content-Length body, or a chunked body that fits the buffer); returns its
    /// status code. The connection is kept: one request at a time, so nothing of the next response is read here.
    /// </summary>
    internal static async Task<int> ReadResponseAsync(Socket socket, byte[] buffer)
    {
        var filled = 0;
        int headerEnd;
        while ((headerEnd = buffer.AsSpan(0, filled).IndexOf("\r\n\r\n"u8)) < 0)
        {
            filled = await FillAsync(socket, buffer, filled);
        }

        var (status, length, chunked) = ParseHead(buffer.AsSpan(0, headerEnd));
        var body = headerEnd + 4;
        if (!chunked)
        {
            var remaining = length - (filled - body);
            while (remaining > 0)
            {
                var n = await socket.ReceiveAsync(buffer.AsMemory(0, Math.Min(buffer.Length, remaining)), SocketFlags.None);
                if (n == 0)
                {
                    throw new InvalidOperationException("the server closed the connection mid-body");
                }

                remaining -= n;
            }

            return status;
        }

        // Chunked: size line, data, CRLF, ... until the zero-size chunk and the empty line after it.
        var p = body;
        while (true)
        {
            int lineEnd;
            while ((lineEnd = buffer.AsSpan(p, filled - p).IndexOf("\r\n"u8)) < 0)
            {
                filled = await FillAsync(socket, buffer, filled);
            }

            var sizeText = Encoding.ASCII.GetString(buffer, p, lineEnd).Split(';')[0].Trim();
            if (!int.TryParse(sizeText, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var size) || size < 0)
            {
                throw new InvalidOperationException($"bad chunk size '{sizeText}'");
            }

            p += lineEnd + 2;
            var need = p + size + 2;
            while (filled < need)
            {
                filled = await FillAsync(socket, buffer, filled);
            }

            p = need;
            if (size == 0)
            {
                return status;
            }
        }
    }

    private static async Task<int> FillAsync(Socket socket, byte[] buffer, int filled)
    {
        if (filled == buffer.Length)
        {
            throw new InvalidOperationException($"a response larger than {buffer.Length / 1024} KiB (headers, or a chunked body) does not fit this client's buffer");
        }

        var n = await socket.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None);
        return n == 0 ? throw new InvalidOperationException("the server closed the connection") : filled + n;
    }

    /// <summary>The status code, Content-Length (0 when absent) and whether the body is chunked, from a response head.</summary>
    internal static (int Status, int ContentLength, bool Chunked) ParseHead(ReadOnlySpan<byte> head)
    {
        var text = Encoding.ASCII.GetString(head);
        var lines = text.Split("\r\n");
        var parts = lines[0].Split(' ', 3);
        if (parts.Length < 2 || !parts[0].StartsWith("HTTP/1.", StringComparison.Ordinal)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var status))
        {
            throw new InvalidOperationException($"not an HTTP/1.x status line: '{lines[0]}'");
        }

        var length = 0;
        var chunked = false;
        foreach (var line in lines.AsSpan(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0)
            {
                continue;
            }

            var name = line[..colon].Trim();
            if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                length = int.Parse(line[(colon + 1)..].Trim(), NumberStyles.None, CultureInfo.InvariantCulture);
            }
            else if (name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase))
            {
                chunked = line[(colon + 1)..].Contains("chunked", StringComparison.OrdinalIgnoreCase);
            }
        }

        return (status, length, chunked);
    }
}
