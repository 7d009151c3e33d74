using System.Net;
using PaySim.Wallet.Configuration;
using PaySim.Wallet.Tests.Support;

namespace PaySim.Wallet.Tests.EndToEnd;

/// <summary>
/// The issuer processes Authorize but the reply is lost (stream reset after processing); the caller retries
/// with the same Idempotency-Key until it gets an answer. Only forwarding idempotency keys prevents a second charge.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class DoubleChargeTests
{
    private const int Payments = 60;
    private const int MaxClientAttempts = 8;

    [Fact]
    public async Task Pay_ResetAfterProcessingFault_ResilientNeverChargesTwice()
    {
        await using var cluster = await Cluster.StartAsync(WalletMode.Resilient);
        var (completed, duplicates) = await PayThroughLostRepliesAsync(cluster, ApplyResetRuleAsync);

        Assert.Equal(Payments, completed);
        Assert.Equal(0, duplicates);
    }

    [Fact]
    public async Task Pay_ResetAfterProcessingFault_NaiveChargesTwice()
    {
        await using var cluster = await Cluster.StartAsync(WalletMode.Naive);
        var (completed, duplicates) = await PayThroughLostRepliesAsync(cluster, ApplyResetRuleAsync);

        Assert.Equal(Payments, completed);
        Assert.True(duplicates > 0, "naive retries without issuer idempotency keys must double-charge");
    }

    [Theory]
    [InlineData(WalletMode.Resilient)]
    [InlineData(WalletMode.Naive)]
    public async Task Pay_RepliesLostByTheNetwork_OnlyResilientAvoidsDoubleCharges(WalletMode mode)
    {
        // The same scenario without the fault engine: a proxy per node loses 30% of Authorize replies after processing.
        await using var cluster = await Cluster.StartAsync(mode);
        var proxies = new List<FlakyIssuerProxy>();
        foreach (var node in cluster.Simulator.IssuerNodes)
        {
            proxies.Add(await FlakyIssuerProxy.StartAsync(node.Uri, 0.3, seed: proxies.Count + 1));
        }

        try
        {
            await cluster.RestartWalletAsync(o => o.IssuerUris = proxies.Select(p => p.Uri).ToList());
            var (completed, duplicates) = await PayThroughLostRepliesAsync(cluster, _ => Task.CompletedTask);

            Assert.Equal(Payments, completed);
            Assert.InRange(proxies.Sum(p => p.LostReplies), 5, Payments * MaxClientAttempts);
            if (mode == WalletMode.Resilient)
            {
                Assert.Equal(0, duplicates);
            }
            else
            {
                Assert.True(duplicates > 0, "naive retries without issuer idempotency keys must double-charge");
            }
        }
        finally
        {
            foreach (var proxy in proxies)
            {
                await proxy.DisposeAsync();
            }
        }
    }

    private static async Task ApplyResetRuleAsync(Cluster cluster)
    {
        using var applied = await cluster.ApplyFaultAsync(new
        {
            name = "lost-auth-replies",
            node = "*",
            method = "Authorize",
            probability = 0.3,
            reset = new { when = "after" },
        });
        Assert.True(applied.IsSuccessStatusCode, $"{(int)applied.StatusCode} {await applied.Content.ReadAsStringAsync()}");
    }

    private static async Task<(int Completed, long Duplicates)> PayThroughLostRepliesAsync(Cluster cluster, Func<Cluster, Task> injectFault)
    {
        var clients = new List<WalletClient>();
        for (var i = 0; i < 5; i++)
        {
            var client = await cluster.NewUserAsync();
            await cluster.BindAsync(client, cluster.Cardholder("healthy"));
            clients.Add(client);
        }

        await injectFault(cluster);

        var completed = 0;
        for (var i = 0; i < Payments; i++)
        {
            var client = clients[i % clients.Count];
            for (var attempt = 0; attempt < MaxClientAttempts; attempt++)
            {
                var reply = await Cluster.PayAsync(client, 100, $"order-{i}", $"key-{i}");
                if (reply.Status is HttpStatusCode.Created or HttpStatusCode.OK)
                {
                    completed++;
                    break;
                }
            }
        }

        await cluster.ClearFaultsAsync();
        foreach (var client in clients)
        {
            client.Dispose();
        }

        var invariants = cluster.Simulator.GetInvariants();
        Assert.True(invariants.MoneyConserved, string.Join("; ", invariants.Violations));
        return (completed, invariants.DuplicateCharges);
    }
}
