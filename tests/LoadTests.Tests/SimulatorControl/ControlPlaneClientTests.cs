using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using PaySim.LoadTests.SimulatorControl;
using PaySim.LoadTests.Tests.Support;
using PaySim.Simulator.Hosting;

namespace PaySim.LoadTests.Tests.SimulatorControl;

/// <summary>The control-plane client: asks above one reply's cap (the simulator's is 100,000 rows) are read in pages.</summary>
public sealed class ControlPlaneClientTests
{
    [Fact]
    public async Task Cardholders_AskedForMoreThanOneReplyHolds_AreReadPageByPage_FromTheOffset_UntilTheListEnds()
    {
        // A control plane with 100 cardholders that, like the simulator, refuses a count above its cap (here 40).
        var asks = new List<(int Count, int Offset)>();
        await using var app = await FakeHttpServer.StartAsync(server =>
        {
            server.MapGet("/v1/cardholders", (HttpRequest r) =>
            {
                var count = int.Parse(r.Query["count"]!, System.Globalization.CultureInfo.InvariantCulture);
                var offset = int.Parse(r.Query["offset"]!, System.Globalization.CultureInfo.InvariantCulture);
                lock (asks)
                {
                    asks.Add((count, offset));
                }

                return count > 40
                    ? Results.Json(new { error = "count must be 0..40" }, statusCode: 400)
                    : Results.Json(new { cardholders = Enumerable.Range(offset, Math.Max(0, Math.Min(count, 100 - offset))).Select(i => new { pan = $"pan-{i}" }) });
            });
        });
        var uri = FakeHttpServer.UriOf(app);
        using var client = new ControlPlaneClient(uri) { CardholderPage = 40 };

        var some = await client.GetCardholdersAsync(90, null, 5, CancellationToken.None);
        var all = await client.GetCardholdersAsync(1_000, "healthy", 0, CancellationToken.None);

        Assert.Equal(Enumerable.Range(5, 90).Select(i => $"pan-{i}"), some.Select(c => c.Pan));
        Assert.Equal(Enumerable.Range(0, 100).Select(i => $"pan-{i}"), all.Select(c => c.Pan));
        Assert.Equal([(40, 5), (40, 45), (10, 85), (40, 0), (40, 40), (40, 80)], asks);
    }

    [Fact]
    public async Task Cardholders_FromARealSimulator_InPages_AreTheRowsOneReadGives()
    {
        await using var simulator = await SimulatorHost.StartAsync(new SimulatorOptions { IssuerPort = 0, SmsPort = 0, ControlPort = 0, Seed = 7, Cardholders = 250 });
        using var whole = new ControlPlaneClient(simulator.ControlUri);
        using var paged = new ControlPlaneClient(simulator.ControlUri) { CardholderPage = 40 };

        var once = await whole.GetCardholdersAsync(130, "healthy", 3, CancellationToken.None);
        var inPages = await paged.GetCardholdersAsync(130, "healthy", 3, CancellationToken.None);

        Assert.Equal(130, once.Count);
        Assert.Equal(once.Select(c => c.Pan), inPages.Select(c => c.Pan));
    }
}
