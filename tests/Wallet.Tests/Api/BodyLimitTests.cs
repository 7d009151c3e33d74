using System.Net;
using PaySim.Wallet.Configuration;
using PaySim.Wallet.Hosting;
using PaySim.Wallet.Tests.Support;

namespace PaySim.Wallet.Tests.Api;

/// <summary>
/// A body over <see cref="WalletOptions.MaxRequestBodyBytes"/> gets 413 while it streams in, whether it
/// announces its length or comes in chunks, so a flood of big bodies never lands in memory.
/// </summary>
public sealed class BodyLimitTests : IAsyncLifetime, IDisposable
{
    private const long TwentyFiveMegabytes = 25L * 1024 * 1024;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private readonly TempDatabase _db = new();
    private WalletHost _host = null!;

    private Uri Wallet => _host.Instances[0].Uri;

    public async Task InitializeAsync() => _host = await WalletHost.StartAsync(Hosts.Options(_db.Path));

    public async Task DisposeAsync() => await _host.DisposeAsync();

    public void Dispose() => _db.Dispose();

    [Fact]
    public async Task Body_AnnouncingTwentyFiveMegabytes_Gets413BeforeItIsSent()
    {
        // Only 32 KiB of the announced 25 MB ever leave the client: the answer must not wait for the rest.
        var (status, text) = await RawHttp.PostStreamingAsync(Wallet, "/users", TwentyFiveMegabytes, 32 * 1024, chunked: false, Patience);

        Assert.Equal(413, status);
        Assert.Contains("\"code\":\"body_too_large\"", text, StringComparison.Ordinal);
        Assert.Contains($"{WalletDefaults.MaxRequestBodyBytes}", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Body_ChunkedWithoutEnd_Gets413OnceItPassesTheLimit()
    {
        // The chunks never end: an answer can only come from counting them as they arrive.
        var (status, text) = await RawHttp.PostStreamingAsync(Wallet, "/users", 0, TwentyFiveMegabytes, chunked: true, Patience);

        Assert.Equal(413, status);
        Assert.Contains("\"code\":\"body_too_large\"", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Body_JustUnderTheLimit_IsReadAndJudgedOnItsFields()
    {
        using var client = new WalletClient(Wallet);

        var reply = await client.PostAsync("/users", new { phone = "13800000042", password = "passw0rd!", pin = "246810", name = new string('n', 60 * 1024) });

        Assert.Equal((HttpStatusCode.UnprocessableEntity, "invalid_request"), (reply.Status, reply.ErrorCode));
        Assert.Contains("name", reply.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Body_LimitIsAnOption_ASmallerOneRefusesASmallerBody()
    {
        using var db = new TempDatabase();
        var options = Hosts.Options(db.Path);
        options.MaxRequestBodyBytes = 1024;
        await using var host = await WalletHost.StartAsync(options);

        var (status, _) = await RawHttp.PostStreamingAsync(host.Instances[0].Uri, "/users", 2048, 2048, chunked: false, Patience);

        Assert.Equal(413, status);
    }

    [Fact]
    public async Task Body_TenConcurrentTwentyFiveMegabyteBodies_LeaveTheWalletProcessSmall()
    {
        await using var wallet = await WalletProcess.StartAsync();
        using (var client = new WalletClient(wallet.Uri))
        {
            // Warm up: the first requests JIT the pipeline, which is not what is measured.
            for (var i = 0; i < 3; i++)
            {
                await client.PostAsync("/users", new { phone = "1" });
                await RawHttp.PostStreamingAsync(wallet.Uri, "/users", 0, 128 * 1024, chunked: true, Patience, endChunks: true);
            }
        }

        var before = wallet.Memory();

        var replies = await Task.WhenAll(Enumerable.Range(0, 10).Select(i =>
            RawHttp.PostStreamingAsync(wallet.Uri, "/users", TwentyFiveMegabytes, TwentyFiveMegabytes, chunked: i % 2 == 0, TimeSpan.FromSeconds(60), endChunks: true)));

        var after = wallet.Memory();
        Assert.All(replies, r => Assert.Equal(413, r.Status));
        // 250 MB were offered; buffering them would grow the process by more than that. Reading stops at
        // 64 KiB a body, so the peak moves by a few MB: a 50 MB bound is generous and still fails the buffering.
        var grewMb = (after.Peak - before.Peak) / (1024.0 * 1024.0);
        Assert.True(grewMb < 50, $"peak resident memory grew by {grewMb:F0} MB (from {before.Peak / 1048576} MB to {after.Peak / 1048576} MB)");
    }
}
