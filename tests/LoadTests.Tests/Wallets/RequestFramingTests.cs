using System.Collections.Concurrent;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using PaySim.LoadTests.Tests.Support;
using PaySim.LoadTests.Wallets;

namespace PaySim.LoadTests.Tests.Wallets;

/// <summary>
/// Issue 15, bug 4: the harness sends its JSON bodies with a Content-Length, never chunked, so a wallet that reads
/// only Content-Length sees them (docs/your-wallet.md, "Request framing"); a failed reply comes back as text in full.
/// The fake wallet here reads exactly Content-Length bytes and nothing else, as such a wallet would.
/// </summary>
public sealed class RequestFramingTests : IAsyncLifetime
{
    private readonly ConcurrentQueue<(string Path, long? ContentLength, string? TransferEncoding, string? ContentType, string Body)> _seen = new();
    private WebApplication _app = null!;
    private Uri _url = null!;

    public async Task InitializeAsync()
    {
        _app = await FakeHttpServer.StartAsync(server =>
        {
            server.Run(async ctx =>
            {
                // Only Content-Length: without one the body is taken as empty, as a naive server does.
                var length = ctx.Request.ContentLength;
                var bytes = new byte[length ?? 0];
                var read = 0;
                while (read < bytes.Length)
                {
                    var n = await ctx.Request.Body.ReadAsync(bytes.AsMemory(read));
                    if (n == 0)
                    {
                        break;
                    }

                    read += n;
                }

                var body = Encoding.UTF8.GetString(bytes, 0, read);
                _seen.Enqueue((ctx.Request.Path.Value!, length, ctx.Request.Headers.TransferEncoding.FirstOrDefault(), ctx.Request.ContentType, body));
                ctx.Response.Headers["X-Served-By"] = "cl-only";
                var phone = body.Length > 0 ? JsonNode.Parse(body)?["phone"]?.GetValue<string>() : null;
                var (status, reply) = ctx.Request.Path.Value switch
                {
                    "/users" when phone is { Length: > 0 } => (201, """{"userId":"u1","token":"t1"}"""),
                    "/users" => (400, """{"error":{"code":"invalid_request","message":"phone"}}"""),
                    "/cards/bind/b1/resend" => (202, """{"bindingId":"b1","status":"otp_resent"}"""),
                    { } path when path.StartsWith("/bare-error/", StringComparison.Ordinal) => (400, """{"error":"no such thing"}"""),
                    _ => (404, """{"error":{"code":"not_found","message":"no route"}}"""),
                };
                var out_ = Encoding.UTF8.GetBytes(reply);
                ctx.Response.StatusCode = status;
                ctx.Response.ContentType = "application/json; charset=utf-8";
                ctx.Response.ContentLength = out_.Length;
                await ctx.Response.Body.WriteAsync(out_);
            });
        });
        _url = FakeHttpServer.UriOf(_app);
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Register_SendsItsBodyWithContentLengthAndNotChunked_SoAContentLengthOnlyWalletReadsIt()
    {
        using var client = new HttpWalletClient([_url], TimeSpan.FromSeconds(5));

        var reply = await client.RegisterAsync("13800000001", "pass-word-1", "258147", CancellationToken.None);

        Assert.True(reply.Ok, reply.Exchange);
        Assert.Equal(201, reply.Status);
        Assert.Equal("u1", reply.Value!.UserId);
        var seen = Assert.Single(_seen);
        const string body = """{"phone":"13800000001","password":"pass-word-1","pin":"258147"}""";
        Assert.Equal(("/users", (long?)Encoding.UTF8.GetByteCount(body), (string?)null, "application/json; charset=utf-8", body), (seen.Path, seen.ContentLength, seen.TransferEncoding, seen.ContentType, seen.Body));
    }

    [Fact]
    public async Task AResendWithoutABody_GoesOutWithContentLengthZero()
    {
        using var client = new HttpWalletClient([_url], TimeSpan.FromSeconds(5));

        var reply = await client.ResendOtpAsync(new WalletUser("u1", "t1", "1", "258147"), "b1", CancellationToken.None);

        Assert.True(reply.Ok, reply.Exchange);
        var seen = Assert.Single(_seen);
        Assert.Equal(("/cards/bind/b1/resend", (long?)0, (string?)null, (string?)null, string.Empty), (seen.Path, seen.ContentLength, seen.TransferEncoding, seen.ContentType, seen.Body));
    }

    [Fact]
    public async Task AFailedReply_CarriesTheExchangeInFull_AndASuccessCarriesNone()
    {
        using var client = new HttpWalletClient([_url], TimeSpan.FromSeconds(5));

        var failed = await client.PayAsync(new WalletUser("u1", "t1", "1", "258147"), new PaymentRequest("c1", 100, "CNY", "m", "o-1"), "k-1", CancellationToken.None);
        var ok = await client.RegisterAsync("13800000001", "pass-word-1", "258147", CancellationToken.None);

        Assert.Null(ok.Exchange);
        Assert.Equal((404, "not_found", "no route"), (failed.Status, failed.Code!, failed.Message!));
        const string sent = """{"cardId":"c1","amount":100,"currency":"CNY","merchant":"m","orderReference":"o-1","pin":"258147"}""";
        Assert.Equal(
            [
                $"request: POST {_url}payments (Content-Type: application/json; charset=utf-8; Content-Length: {sent.Length}; Idempotency-Key: k-1; Authorization: Bearer …)",
                $"  sent: {sent}",
                "reply: 404 Not Found (Content-Type: application/json; charset=utf-8; Content-Length: 51; X-Served-By: cl-only)",
                """  body: {"error":{"code":"not_found","message":"no route"}}""",
            ],
            failed.Exchange!.Split('\n'));
    }

    [Fact]
    public async Task AnErrorThatIsABareString_IsReadAsTheMessage_NotAnException()
    {
        using var client = new HttpWalletClient([new Uri(_url, "bare-error/")], TimeSpan.FromSeconds(5));

        var reply = await client.GetTransactionsAsync(new WalletUser("u1", "t1", "1", "258147"), CancellationToken.None);

        Assert.Equal((400, "http_400", "no such thing"), (reply.Status, reply.Code!, reply.Message!));
    }

    [Fact]
    public void ALongBody_IsClippedToOneLine()
    {
        var text = WalletExchange.Body(Encoding.UTF8.GetBytes("line one\nline two " + new string('x', 1000)));

        // 500 characters (the newline escaped as two), then how long the body really was.
        Assert.Equal("line one\\nline two " + new string('x', 481) + "… (1018 bytes)", text);
    }
}
