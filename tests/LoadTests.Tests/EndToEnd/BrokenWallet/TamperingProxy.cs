using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using PaySim.LoadTests.Tests.Support;

namespace PaySim.LoadTests.Tests.EndToEnd.BrokenWallet;

/// <summary>
/// A planted defect in front of the reference wallet, over real HTTP: every request is passed to the wallet and its
/// reply passed back (X-Served-By included), except where <see cref="Answer"/> answers a request itself or
/// <see cref="Rewrite"/> replaces the wallet's reply, as a wallet with that one bug would answer.
/// </summary>
internal sealed class TamperingProxy : IAsyncDisposable
{
    private static readonly HashSet<string> HopHeaders = new(StringComparer.OrdinalIgnoreCase) { "Host", "Content-Length", "Transfer-Encoding", "Connection" };

    private readonly WebApplication _app;
    private readonly HttpClient _http = new(new SocketsHttpHandler { UseProxy = false });
    private readonly Uri _upstream;

    private TamperingProxy(WebApplication app, Uri upstream)
    {
        _app = app;
        _upstream = upstream;
    }

    public Uri Uri { get; private set; } = new("http://127.0.0.1/");

    /// <summary>A reply of the proxy's own instead of the wallet's (null: pass the request on).</summary>
    public Func<HttpRequest, TamperedReply?>? Answer { get; init; }

    /// <summary>Replaces the wallet's reply (status, body) to a request (null: pass it back unchanged).</summary>
    public Func<HttpRequest, int, string, TamperedReply?>? Rewrite { get; init; }

    /// <summary>Requests the proxy answered or rewrote.</summary>
    public int Tampered => _tampered;

    private int _tampered;

    public static async Task<TamperingProxy> StartAsync(
        Uri upstream, Func<HttpRequest, TamperedReply?>? answer = null, Func<HttpRequest, int, string, TamperedReply?>? rewrite = null)
    {
        TamperingProxy? proxy = null;
        var app = await FakeHttpServer.StartAsync(server =>
        {
            proxy = new TamperingProxy(server, upstream) { Answer = answer, Rewrite = rewrite };
            server.Run(proxy.HandleAsync);
        });
        proxy!.Uri = FakeHttpServer.UriOf(app);
        return proxy;
    }

    /// <summary>A wallet error reply: <c>{"error":{"code","message"}}</c>.</summary>
    public static TamperedReply Error(int status, string code, string? servedBy) =>
        new(status, new System.Text.Json.Nodes.JsonObject { ["error"] = new System.Text.Json.Nodes.JsonObject { ["code"] = code, ["message"] = code + " (planted defect)" } }.ToJsonString(), servedBy);

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        _http.Dispose();
    }

    private async Task HandleAsync(HttpContext ctx)
    {
        if (Answer?.Invoke(ctx.Request) is { } own)
        {
            Interlocked.Increment(ref _tampered);
            await WriteAsync(ctx, own);
            return;
        }

        using var request = new HttpRequestMessage(new HttpMethod(ctx.Request.Method), new Uri(_upstream, ctx.Request.Path.Value!.TrimStart('/') + ctx.Request.QueryString));
        using var buffer = new MemoryStream();
        await ctx.Request.Body.CopyToAsync(buffer, ctx.RequestAborted);
        if (buffer.Length > 0)
        {
            request.Content = new ByteArrayContent(buffer.ToArray());
        }

        foreach (var (name, values) in ctx.Request.Headers)
        {
            if (HopHeaders.Contains(name))
            {
                continue;
            }

            if (!request.Headers.TryAddWithoutValidation(name, values.ToArray()))
            {
                request.Content?.Headers.TryAddWithoutValidation(name, values.ToArray());
            }
        }

        using var reply = await _http.SendAsync(request, ctx.RequestAborted);
        var body = await reply.Content.ReadAsStringAsync(ctx.RequestAborted);
        var servedBy = reply.Headers.TryGetValues("X-Served-By", out var names) ? names.First() : null;
        if (Rewrite?.Invoke(ctx.Request, (int)reply.StatusCode, body) is { } rewritten)
        {
            Interlocked.Increment(ref _tampered);
            await WriteAsync(ctx, rewritten with { ServedBy = rewritten.ServedBy ?? servedBy });
            return;
        }

        ctx.Response.StatusCode = (int)reply.StatusCode;
        foreach (var (name, values) in reply.Headers.Concat(reply.Content.Headers))
        {
            if (!HopHeaders.Contains(name))
            {
                ctx.Response.Headers[name] = values.ToArray();
            }
        }

        await ctx.Response.WriteAsync(body, ctx.RequestAborted);
    }

    private static async Task WriteAsync(HttpContext ctx, TamperedReply reply)
    {
        ctx.Response.StatusCode = reply.Status;
        if (reply.ServedBy is not null)
        {
            ctx.Response.Headers["X-Served-By"] = reply.ServedBy;
        }

        ctx.Response.ContentType = "application/json";
        await ctx.Response.WriteAsync(reply.Body, Encoding.UTF8, ctx.RequestAborted);
    }
}

/// <summary>What the proxy answers instead of the wallet.</summary>
internal sealed record TamperedReply(int Status, string Body, string? ServedBy);
