using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using PaySim.Wallet.Configuration;
using PaySim.Wallet.Hosting;
using PaySim.Wallet.Tests.Support;

namespace PaySim.Wallet.Tests.Hosting;

/// <summary><see cref="WalletOptions.MaxConnections"/>: connections past the limit are closed unanswered; a freed slot takes a new one.</summary>
public sealed class ConnectionLimitTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private readonly TempDatabase _db = new();

    public void Dispose() => _db.Dispose();

    [Fact]
    public async Task Connections_PastTheLimit_AreClosedUnanswered_UntilOneIsFreed()
    {
        var options = Hosts.Options(_db.Path);
        options.MaxConnections = 2;
        await using var host = await WalletHost.StartAsync(options);
        var uri = host.Instances[0].Uri;

        using var first = await OpenAsync(uri);
        using var second = await OpenAsync(uri);
        var held = new[] { await HealthAsync(first), await HealthAsync(second) };
        int third;
        using (var extra = await OpenAsync(uri))
        {
            third = await HealthAsync(extra);
        }

        first.Dispose();
        var afterFreeing = await EventuallyAsync(async () =>
        {
            using var next = await OpenAsync(uri);
            return await HealthAsync(next);
        });

        Assert.Equal([200, 200], held);
        Assert.Equal(0, third);
        Assert.Equal(200, afterFreeing);
    }

    [Fact]
    public void MaxConnections_OutOfRange_IsRefusedByName()
    {
        var options = Hosts.Options(_db.Path);
        options.MaxConnections = 0;

        var e = Assert.Throws<WalletOptionsException>(() => WalletHost.StartAsync(options).GetAwaiter().GetResult());

        Assert.Contains("maxConnections (--max-connections) must be 1..1000000 (got 0)", e.Message, StringComparison.Ordinal);
    }

    private static async Task<TcpClient> OpenAsync(Uri uri)
    {
        var client = new TcpClient();
        await client.ConnectAsync(uri.Host, uri.Port);
        return client;
    }

    /// <summary>GET /health on a kept-alive connection: the status, or 0 when the server closed it unanswered.</summary>
    private static async Task<int> HealthAsync(TcpClient client)
    {
        using var timeout = new CancellationTokenSource(Patience);
        var stream = client.GetStream();
        try
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes("GET /health HTTP/1.1\r\nHost: wallet\r\n\r\n"), timeout.Token);
        }
        catch (IOException)
        {
            return 0;
        }

        return (await RawHttp.ReadResponseAsync(stream, timeout.Token)).Status;
    }

    /// <summary>The server notices a closed connection on its own time: try again until a 200 or the patience runs out.</summary>
    private static async Task<int> EventuallyAsync(Func<Task<int>> attempt)
    {
        var clock = Stopwatch.StartNew();
        int status;
        while ((status = await attempt()) != 200 && clock.Elapsed < Patience)
        {
            await Task.Delay(50);
        }

        return status;
    }
}
