using System.Globalization;
using System.Text;

namespace PaySim.LoadTests.Wallets;

/// <summary>
/// One failed wallet call as text: the request line, the headers that decide how a server reads it, the body sent,
/// then the reply's status, headers and body, each body clipped to <see cref="MaxBody"/> characters on one line.
/// Built only for replies that are not 2xx (see <see cref="WalletReply{T}.Exchange"/>); a run that cannot prepare
/// prints the first one, so the cause is on screen instead of behind a one-word error code.
/// </summary>
internal static class WalletExchange
{
    /// <summary>Longest body shown; longer ones end with "… (N bytes)".</summary>
    public const int MaxBody = 500;

    /// <summary>Request headers worth seeing (Authorization only as present or not).</summary>
    private static readonly string[] RequestHeaders = ["Content-Type", "Content-Length", "Transfer-Encoding", HttpWalletClient.IdempotencyHeader];

    /// <summary>Reply headers worth seeing.</summary>
    private static readonly string[] ReplyHeaders = ["Content-Type", "Content-Length", "Transfer-Encoding", HttpWalletClient.ServedByHeader, "Retry-After"];

    public static string Describe(HttpRequestMessage request, byte[]? sent, HttpResponseMessage reply, byte[] received)
    {
        var text = new StringBuilder();
        text.Append("request: ").Append(request.Method.Method).Append(' ').Append(request.RequestUri);
        var requestHeaders = Headers(request.Headers, request.Content?.Headers, RequestHeaders);
        if (request.Headers.Authorization is { } auth)
        {
            requestHeaders.Add($"Authorization: {auth.Scheme} …");
        }

        if (requestHeaders.Count > 0)
        {
            text.Append(" (").AppendJoin("; ", requestHeaders).Append(')');
        }

        text.Append('\n').Append("  sent: ").Append(sent is null ? "no body" : Body(sent));
        text.Append('\n').Append("reply: ").Append((int)reply.StatusCode).Append(' ').Append(reply.ReasonPhrase);
        var replyHeaders = Headers(reply.Headers, reply.Content.Headers, ReplyHeaders);
        if (replyHeaders.Count > 0)
        {
            text.Append(" (").AppendJoin("; ", replyHeaders).Append(')');
        }

        text.Append('\n').Append("  body: ").Append(received.Length == 0 ? "empty" : Body(received));
        return text.ToString();
    }

    /// <summary>A body as one line of text, control characters escaped, clipped to <see cref="MaxBody"/> characters.</summary>
    public static string Body(byte[] bytes)
    {
        var s = Encoding.UTF8.GetString(bytes);
        var line = new StringBuilder(Math.Min(s.Length, MaxBody) + 16);
        foreach (var ch in s)
        {
            if (line.Length >= MaxBody)
            {
                return line.Append("… (").Append(bytes.Length.ToString(CultureInfo.InvariantCulture)).Append(" bytes)").ToString();
            }

            line.Append(ch switch
            {
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ when char.IsControl(ch) => $"\\u{(int)ch:x4}",
                _ => ch.ToString(),
            });
        }

        return line.ToString();
    }

    private static List<string> Headers(System.Net.Http.Headers.HttpHeaders main, System.Net.Http.Headers.HttpHeaders? content, string[] names)
    {
        var found = new List<string>();
        foreach (var name in names)
        {
            if (name == "Content-Length" && content is System.Net.Http.Headers.HttpContentHeaders { ContentLength: { } length })
            {
                // Computed from the content (a buffered body) rather than read back from a header list.
                found.Add($"Content-Length: {length.ToString(CultureInfo.InvariantCulture)}");
            }
            else if (main.TryGetValues(name, out var values) || (content is not null && content.TryGetValues(name, out values)))
            {
                found.Add($"{name}: {string.Join(", ", values)}");
            }
        }

        return found;
    }
}
