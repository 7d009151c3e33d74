using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Time.Testing;
using PaySim.Wallet.Configuration;
using PaySim.Wallet.Defects;
using PaySim.Wallet.Hosting;
using PaySim.Wallet.Tests.Support;

namespace PaySim.Wallet.Tests.Defects;

/// <summary>
/// Defect unbalanced (src/Wallet/Hosting/RefusingListenerFactory.cs): every instance but wallet-1 closes each connection
/// after its reply and refuses new connections for 750 ms of every second. The clock is a <see cref="FakeTimeProvider"/>:
/// the test moves it and waits for the listener to follow.
/// </summary>
public sealed class UnbalancedDefectTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Unbalanced_SecondInstanceRefusesThreeQuartersOfTheTimeAndClosesEveryConnection(bool planted)
    {
        using var db = new TempDatabase();
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var options = Hosts.Options(db.Path, WalletMode.Resilient, instances: 2);
        options.TimeProvider = time;
        options.Defects = planted ? [WalletDefects.Unbalanced] : [];
        await using var wallet = await WalletHost.StartAsync(options);
        var first = wallet.Instances[0].Uri;
        var second = wallet.Instances[1].Uri;

        // Open window: both answer; only a planted second instance closes the connection after its reply.
        Assert.False(await ClosesAfterReplyAsync(first));
        Assert.Equal(planted, await ClosesAfterReplyAsync(second));

        // Into the refusing window (250 ms on): a planted second instance stops listening, the first never does.
        time.Advance(RefusingListenerFactory.Open);
        var refused = await Eventually.ReturnsAsync(() => RefusesAsync(second), r => r, TimeSpan.FromSeconds(planted ? 10 : 1));
        Assert.Equal(planted, refused);
        Assert.False(await RefusesAsync(first));

        // 750 ms later it listens again, on the same port.
        time.Advance(RefusingListenerFactory.Refusing);
        Assert.False(await Eventually.ReturnsAsync(() => RefusesAsync(second), r => !r, TimeSpan.FromSeconds(10)));
        Assert.Equal(planted, await ClosesAfterReplyAsync(second));
    }

    private static async Task<bool> RefusesAsync(Uri instance)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(instance.Host, instance.Port);
            return false;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionRefused)
        {
            return true;
        }
    }

    private static async Task<bool> ClosesAfterReplyAsync(Uri instance)
    {
        using var http = new HttpClient();
        using var reply = await http.GetAsync(new Uri(instance, "/health"));
        Assert.Equal(HttpStatusCode.OK, reply.StatusCode);
        return reply.Headers.ConnectionClose == true;
    }
}
