using System.Diagnostics;
using System.Net;
using PaySim.Wallet.Configuration;
using PaySim.Wallet.Tests.Support;

namespace PaySim.Wallet.Tests.EndToEnd;

/// <summary>One issuer node accepts calls and never answers.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class DeadlineTests(Xunit.Abstractions.ITestOutputHelper output)
{
    [Fact]
    public async Task Pay_OneNodeHangs_ResilientGivesUpOnTheAttemptAndCompletesElsewhere()
    {
        await using var cluster = await Cluster.StartAsync(WalletMode.Resilient, wallet: o =>
        {
            o.AttemptTimeout = TimeSpan.FromMilliseconds(300);
            o.CallTimeout = TimeSpan.FromSeconds(3);
        });
        var t = Stopwatch.StartNew();
        await using var proxies = await ProxiesAsync(cluster);
        output.WriteLine($"proxies {t.Elapsed}");
        await cluster.RestartWalletAsync(o => o.IssuerUris = proxies.Uris);
        output.WriteLine($"restart {t.Elapsed}");
        using var user = await cluster.NewUserAsync();
        await cluster.BindAsync(user, cluster.Cardholder("healthy"));
        output.WriteLine($"bound {t.Elapsed}");

        var slowest = TimeSpan.Zero;
        for (var i = 0; i < 20; i++)
        {
            var watch = Stopwatch.StartNew();
            var reply = await Cluster.PayAsync(user, 100, $"hang-{i}", $"hang-{i}");
            slowest = watch.Elapsed > slowest ? watch.Elapsed : slowest;
            Assert.True(reply.Status == HttpStatusCode.Created, reply.ToString());
        }

        output.WriteLine($"paid {t.Elapsed}, hanging node calls {proxies.Hanging.Calls}");
        // Tried, then ejected after OutlierConsecutiveFailures (5) timed-out attempts in a row.
        Assert.InRange(proxies.Hanging.Calls, 1, WalletDefaults.OutlierConsecutiveFailures);
        Assert.True(slowest < TimeSpan.FromSeconds(3), $"slowest payment took {slowest}");
        Assert.Equal(0, cluster.Simulator.GetInvariants().DuplicateCharges);
    }

    [Fact]
    public async Task Pay_OneNodeHangs_NaiveHangsTheOperationsSentThere()
    {
        await using var cluster = await Cluster.StartAsync(WalletMode.Naive);
        using var user = await cluster.NewUserAsync();
        await cluster.BindAsync(user, cluster.Cardholder("healthy"));
        await using var proxies = await ProxiesAsync(cluster);
        await cluster.RestartWalletAsync(o => o.IssuerUris = proxies.Uris);
        using var impatient = new WalletClient(cluster.Wallet.Instances[0].Uri, TimeSpan.FromSeconds(1.5)) { Token = user.Token, Currency = user.Currency };

        var outcomes = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            try
            {
                outcomes.Add(((int)(await Cluster.PayAsync(impatient, 100, $"hang-{i}", $"hang-{i}")).Status).ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
            catch (TaskCanceledException)
            {
                outcomes.Add("no answer");
            }
        }

        Assert.Equal(["201", "no answer", "201"], outcomes);
    }

    private static async Task<ProxySet> ProxiesAsync(Cluster cluster)
    {
        var set = new ProxySet();
        foreach (var node in cluster.Simulator.IssuerNodes)
        {
            set.All.Add(await FlakyIssuerProxy.StartAsync(node.Uri, 0, seed: 1, hang: node.Name == "issuer-2"));
        }

        return set;
    }

    private sealed class ProxySet : IAsyncDisposable
    {
        public List<FlakyIssuerProxy> All { get; } = [];

        public FlakyIssuerProxy Hanging => All[1];

        public IReadOnlyList<Uri> Uris => All.Select(p => p.Uri).ToList();

        public async ValueTask DisposeAsync()
        {
            foreach (var proxy in All)
            {
                await proxy.DisposeAsync();
            }
        }
    }
}
