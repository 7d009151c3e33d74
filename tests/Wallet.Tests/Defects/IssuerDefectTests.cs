using System.Diagnostics;
using System.Net;
using PaySim.Contracts.Control.V1;
using PaySim.Wallet.Configuration;
using PaySim.Wallet.Defects;
using PaySim.Wallet.Resilience;
using PaySim.Wallet.Tests.EndToEnd;
using PaySim.Wallet.Tests.Support;

namespace PaySim.Wallet.Tests.Defects;

/// <summary>
/// The defects planted in the issuer integration (src/Wallet/Resilience, src/Wallet/Balancing), each on a real
/// simulator: with the defect the wallet misbehaves as WalletDefects says, without it the same scenario is handled.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class IssuerDefectTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task NoFailover_FirstNodeDown_PaymentsFailInsteadOfMovingToTheOthers(bool planted)
    {
        await using var cluster = await DefectClusters.StartAsync(planted ? WalletDefects.NoFailover : null);
        using var user = await DefectClusters.BoundUserAsync(cluster);
        await cluster.Simulator.SetNodeStateAsync("issuer-1", NodeState.Down);
        var before = cluster.CallsPerNode("Authorize");

        var outcomes = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            outcomes.Add((await Cluster.PayAsync(user, 100, $"nf-{i}", $"nf-{i}")).Outcome());
        }

        var after = cluster.CallsPerNode("Authorize");
        if (planted)
        {
            Assert.All(outcomes, o => Assert.StartsWith("50", o, StringComparison.Ordinal));
            Assert.All(outcomes, o => Assert.EndsWith("issuer_unavailable", o, StringComparison.Ordinal));
            Assert.Equal(0, after.Delta(before, "issuer-2") + after.Delta(before, "issuer-3"));
        }
        else
        {
            Assert.All(outcomes, o => Assert.Equal("201", o));
            Assert.Equal(6, after.Delta(before, "issuer-2") + after.Delta(before, "issuer-3"));
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task NoDeadline_AuthorizeHangs_ThePaymentHangsInsteadOfFailingAtTheCallTimeout(bool planted)
    {
        await using var cluster = await DefectClusters.StartAsync(planted ? WalletDefects.NoDeadline : null, o =>
        {
            o.AttemptTimeout = TimeSpan.FromMilliseconds(200);
            o.CallTimeout = TimeSpan.FromSeconds(1);
            // The recovery pass would take the pending payment over after the 2.2 s stale window and call Authorize again.
            o.RecoveryInterval = TimeSpan.FromHours(1);
        });
        using var user = await DefectClusters.BoundUserAsync(cluster);
        await DefectClusters.ApplyAsync(cluster, new { name = "hung-auth", node = "*", method = "Authorize", hang = new { max = "60s" } });
        using var patient = new WalletClient(cluster.Wallet.Instances[0].Uri, TimeSpan.FromSeconds(4)) { Token = user.Token, Currency = user.Currency };

        var watch = Stopwatch.StartNew();
        string outcome;
        try
        {
            outcome = (await Cluster.PayAsync(patient, 100, "hang-1", "hang-1")).Outcome();
        }
        catch (TaskCanceledException)
        {
            outcome = "no answer";
        }

        if (planted)
        {
            // Four times the call timeout and still waiting on the first attempt.
            Assert.Equal("no answer", outcome);
            Assert.Equal(1, cluster.CallsPerNode("Authorize").Total());
        }
        else
        {
            Assert.Equal("504 issuer_unavailable", outcome);
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(3), $"took {watch.Elapsed}");
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task RetryNewKey_AuthorizeReplyLost_TheRetryHoldsTheMoneyAgain(bool planted)
    {
        await using var cluster = await DefectClusters.StartAsync(planted ? WalletDefects.RetryNewKey : null);
        using var user = await DefectClusters.BoundUserAsync(cluster);
        var before = cluster.Simulator.GetInvariants();
        // The first Authorize runs (the money is held) and its reply is lost; the wallet retries on its own.
        await DefectClusters.ApplyAsync(cluster, new { name = "lost-auth-reply", node = "*", method = "Authorize", times = 1, reset = new { when = "after" } });

        var reply = await Cluster.PayAsync(user, 700, "rnk-1", "rnk-1");

        Assert.Equal(HttpStatusCode.Created, reply.Status);
        Assert.Equal(2, cluster.CallsPerNode("Authorize").Total());
        var after = cluster.Simulator.GetInvariants();
        Assert.Equal(700, after.CapturedMinor - before.CapturedMinor);
        // Planted: the retry was a second authorization, so the first hold is left behind (700 held for nothing).
        Assert.Equal(planted ? 700 : 0, after.HeldMinor - before.HeldMinor);
        Assert.True(after.MoneyConserved, string.Join("; ", after.Violations));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task StickyNode_EveryCallGoesToIssuer1(bool planted)
    {
        await using var cluster = await DefectClusters.StartAsync(planted ? WalletDefects.StickyNode : null);
        using var user = await DefectClusters.BoundUserAsync(cluster);
        var before = cluster.CallsPerNode("Authorize");

        for (var i = 0; i < 30; i++)
        {
            Assert.Equal("201", (await Cluster.PayAsync(user, 100, $"st-{i}", $"st-{i}")).Outcome());
        }

        var after = cluster.CallsPerNode("Authorize");
        if (planted)
        {
            Assert.Equal(30, after.Delta(before, "issuer-1"));
        }
        else
        {
            foreach (var node in new[] { "issuer-1", "issuer-2", "issuer-3" })
            {
                Assert.InRange(after.Delta(before, node), 5, 15);
            }
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task NoHealthCheck_NodeNotServing_StaysInRotation(bool planted)
    {
        await using var cluster = await DefectClusters.StartAsync(planted ? WalletDefects.NoHealthCheck : null);
        using var user = await DefectClusters.BoundUserAsync(cluster);
        await cluster.Simulator.SetNodeStateAsync("issuer-2", NodeState.NotServing);
        var integration = Assert.IsType<ResilientIssuerIntegration>(cluster.Wallet.RunningInstances[0].Integration);
        await integration.ProbeNodesAsync(CancellationToken.None);
        var port = cluster.Simulator.IssuerNodes.Single(n => n.Name == "issuer-2").Uri.Port;
        Assert.Equal(planted, integration.UsableNodes.Any(a => a.EndPoint.Port == port));

        var before = cluster.CallsPerNode("Authorize");
        for (var i = 0; i < 30; i++)
        {
            Assert.Equal("201", (await Cluster.PayAsync(user, 100, $"ns-{i}", $"ns-{i}")).Outcome());
        }

        var sentToSick = cluster.CallsPerNode("Authorize").Delta(before, "issuer-2");
        if (planted)
        {
            Assert.InRange(sentToSick, 5, 15);
        }
        else
        {
            Assert.Equal(0, sentToSick);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task RetryStorm_IssuerFails_EveryFailureBecomesElevenCalls(bool planted)
    {
        await using var cluster = await DefectClusters.StartAsync(planted ? WalletDefects.RetryStorm : null);
        using var user = await DefectClusters.BoundUserAsync(cluster);
        await DefectClusters.ApplyAsync(cluster, new { name = "auth-unavailable", node = "*", method = "Authorize", error = new { grpcStatus = "UNAVAILABLE" } });

        var outcomes = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            outcomes.Add((await Cluster.PayAsync(user, 100, $"rs-{i}", $"rs-{i}")).Outcome());
        }

        Assert.All(outcomes, o => Assert.Equal("503 issuer_unavailable", o));
        var perPayment = planted ? 1 + ResilientIssuerIntegration.RetryStormAttempts : 1 + WalletDefaults.MaxRetryAttempts;
        Assert.Equal(3 * perPayment, cluster.CallsPerNode("Authorize").Total());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task RetryDeclines_AVelocityDecline_IsSentAgainUnderNewKeys_AndTheIssuerCountsEachReattempt(bool planted)
    {
        await using var cluster = await DefectClusters.StartAsync(planted ? WalletDefects.RetryDeclines : null);
        using var user = await DefectClusters.BoundUserAsync(cluster);
        cluster.Simulator.ApplyRisk("""{"velocity": {"count": 1, "window": "1m"}}""");
        var before = cluster.Simulator.GetInvariants();

        Assert.Equal("201", (await Cluster.PayAsync(user, 100, "rd-1", "rd-1")).Outcome());
        var declined = await Cluster.PayAsync(user, 100, "rd-2", "rd-2");

        // Either way the user is told 402: the decline stands; only the issuer sees the difference.
        Assert.Equal(HttpStatusCode.PaymentRequired, declined.Status);
        var after = cluster.Simulator.GetInvariants();
        var reattempts = planted ? WalletDefaults.MaxRetryAttempts : 0;
        Assert.Equal(2 + reattempts, cluster.CallsPerNode("Authorize").Total());
        Assert.Equal(reattempts, after.DeclinedReattempts - before.DeclinedReattempts);
        Assert.Equal(100, after.HeldMinor + after.CapturedMinor - before.HeldMinor - before.CapturedMinor);
    }
}
