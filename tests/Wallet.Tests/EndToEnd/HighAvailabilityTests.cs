using System.Diagnostics;
using System.Net;
using PaySim.Contracts.Control.V1;
using PaySim.Wallet.Configuration;
using PaySim.Wallet.Resilience;
using PaySim.Wallet.Tests.Support;

namespace PaySim.Wallet.Tests.EndToEnd;

/// <summary>One issuer node of three is down: does every payment still go through?</summary>
[Collection(EndToEndCollection.Name)]
public sealed class HighAvailabilityTests
{
    private const int Payments = 500;
    private const int Users = 10;
    private const int Workers = 8;

    [Fact]
    public async Task Pay_OneNodeOfThreeDown_ResilientCompletesEveryPayment()
    {
        await using var cluster = await Cluster.StartAsync(WalletMode.Resilient);
        var outcome = await PayWithNodeDownAsync(cluster);

        Assert.Equal(Payments, outcome.Ok);
        Assert.Equal(0, outcome.Calls["issuer-2"] - outcome.CallsBeforeDown["issuer-2"]);
    }

    [Fact]
    public async Task Pay_OneNodeOfThreeDown_NaiveFailsAboutOneInThree()
    {
        await using var cluster = await Cluster.StartAsync(WalletMode.Naive);
        var outcome = await PayWithNodeDownAsync(cluster);

        var failedShare = (Payments - outcome.Ok) / (double)Payments;
        Assert.InRange(failedShare, 0.25, 0.42);
        Assert.All(outcome.Errors, e => Assert.Equal("issuer_unavailable", e));
    }

    [Theory]
    [InlineData(BalancingPolicies.LeastRequests)]
    [InlineData(BalancingPolicies.PowerOfTwoChoices)]
    [InlineData(BalancingPolicies.PickFirst)]
    public async Task Pay_OneNodeOfThreeDown_EveryResilientPolicyCompletesEveryPayment(string policy)
    {
        await using var cluster = await Cluster.StartAsync(WalletMode.Resilient, wallet: o => o.BalancingPolicy = policy);
        var outcome = await PayWithNodeDownAsync(cluster, payments: 150);

        Assert.Equal(150, outcome.Ok);
        if (policy != BalancingPolicies.PickFirst)
        {
            // Both live nodes carry a fair part of the load.
            foreach (var node in new[] { "issuer-1", "issuer-3" })
            {
                Assert.InRange(outcome.Calls[node] - outcome.CallsBeforeDown[node], 150 * 0.25, 150 * 0.75);
            }
        }
    }

    [Fact]
    public async Task Pay_NodeNotServing_ResilientStopsSendingToItWhileNaiveKeepsUsingIt()
    {
        await using var resilient = await Cluster.StartAsync(WalletMode.Resilient);
        await using var naive = await Cluster.StartAsync(WalletMode.Naive);
        foreach (var cluster in new[] { resilient, naive })
        {
            var clients = await BindUsersAsync(cluster, 3);
            await cluster.Simulator.SetNodeStateAsync("issuer-2", NodeState.NotServing);
            if (cluster == resilient)
            {
                await WaitUntilOutOfRotationAsync(cluster, "issuer-2");
            }

            var before = cluster.CallsPerNode("Authorize")["issuer-2"];
            for (var i = 0; i < 30; i++)
            {
                var reply = await Cluster.PayAsync(clients[i % clients.Count], 100, $"ns-{i}", $"ns-{i}");
                Assert.Equal(HttpStatusCode.Created, reply.Status);
            }

            var sentToSick = cluster.CallsPerNode("Authorize")["issuer-2"] - before;
            if (cluster == resilient)
            {
                Assert.Equal(0, sentToSick);
            }
            else
            {
                Assert.Equal(10, sentToSick);
            }

            foreach (var client in clients)
            {
                client.Dispose();
            }
        }
    }

    [Theory]
    [InlineData(WalletMode.Resilient)]
    [InlineData(WalletMode.Naive)]
    public async Task Pay_OneNodeDecliningWith91_OnlyResilientRetriesElsewhere(WalletMode mode)
    {
        await using var cluster = await Cluster.StartAsync(mode);
        var clients = await BindUsersAsync(cluster, 3);
        using var applied = await cluster.ApplyFaultAsync(new
        {
            name = "bank-behind-issuer-1-down",
            node = "issuer-1",
            method = "Authorize",
            probability = 1.0,
            decline = new { code = "91", reason = "ISSUER_UNAVAILABLE" },
        });
        Assert.True(applied.IsSuccessStatusCode, await applied.Content.ReadAsStringAsync());

        var codes = new List<string>();
        for (var i = 0; i < 60; i++)
        {
            var reply = await Cluster.PayAsync(clients[i % clients.Count], 100, $"d91-{i}", $"d91-{i}");
            codes.Add(reply.Status == HttpStatusCode.Created ? "ok" : $"{(int)reply.Status} {reply.ErrorCode}");
        }

        foreach (var client in clients)
        {
            client.Dispose();
        }

        if (mode == WalletMode.Resilient)
        {
            Assert.All(codes, c => Assert.Equal("ok", c));
        }
        else
        {
            // Round robin per operation: every third payment lands on issuer-1.
            Assert.Equal(20, codes.Count(c => c == "503 issuer_unavailable"));
            Assert.Equal(40, codes.Count(c => c == "ok"));
        }
    }

    /// <summary>Waits for the wallet's health checks to take the node out on every instance (they probe every 200 ms).</summary>
    private static async Task WaitUntilOutOfRotationAsync(Cluster cluster, string node)
    {
        var port = cluster.Simulator.IssuerNodes.Single(n => n.Name == node).Uri.Port;
        var integrations = cluster.Wallet.RunningInstances.Select(i => Assert.IsType<ResilientIssuerIntegration>(i.Integration)).ToArray();
        var clock = Stopwatch.StartNew();
        while (integrations.Any(i => i.UsableNodes.Any(a => a.EndPoint.Port == port)))
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"{node} was still in rotation after 30 s");
            await Task.Delay(20);
        }
    }

    private static async Task<List<WalletClient>> BindUsersAsync(Cluster cluster, int count)
    {
        var clients = new List<WalletClient>();
        for (var i = 0; i < count; i++)
        {
            var client = await cluster.NewUserAsync();
            await cluster.BindAsync(client, cluster.Cardholder("healthy"));
            clients.Add(client);
        }

        return clients;
    }

    private static async Task<Outcome> PayWithNodeDownAsync(Cluster cluster, int payments = Payments)
    {
        var clients = await BindUsersAsync(cluster, Users);
        try
        {
            var before = cluster.CallsPerNode("Authorize");
            await cluster.Simulator.SetNodeStateAsync("issuer-2", NodeState.Down);

            var ok = 0;
            var errors = new System.Collections.Concurrent.ConcurrentBag<string>();
            var next = -1;
            await Task.WhenAll(Enumerable.Range(0, Workers).Select(async _ =>
            {
                int i;
                while ((i = Interlocked.Increment(ref next)) < payments)
                {
                    var reply = await Cluster.PayAsync(clients[i % clients.Count], 100, $"order-{i}", $"key-{i}");
                    if (reply.Status == HttpStatusCode.Created)
                    {
                        Interlocked.Increment(ref ok);
                    }
                    else
                    {
                        errors.Add(reply.ErrorCode ?? reply.ToString());
                    }
                }
            }));

            var invariants = cluster.Simulator.GetInvariants();
            Assert.Equal(0, invariants.DuplicateCharges);
            return new Outcome(ok, errors.ToList(), before, cluster.CallsPerNode("Authorize"));
        }
        finally
        {
            foreach (var client in clients)
            {
                client.Dispose();
            }
        }
    }

    private sealed record Outcome(int Ok, IReadOnlyList<string> Errors, IReadOnlyDictionary<string, long> CallsBeforeDown, IReadOnlyDictionary<string, long> Calls);
}
