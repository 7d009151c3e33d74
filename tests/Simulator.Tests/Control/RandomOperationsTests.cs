using System.Net.Http.Json;
using PaySim.Contracts.Issuer.V1;
using PaySim.Simulator.Tests.Support;

namespace PaySim.Simulator.Tests.Control;

public sealed class RandomOperationsTests
{
    [Fact]
    public async Task TenThousandRandomOperations_OverThreeNodes_LeaveTheInvariantsClean()
    {
        await using var sim = await TestSimulator.StartAsync();
        var cards = sim.Host.ListCardholders(8, "healthy").Concat(sim.Host.ListCardholders(4, "low-balance")).ToList();
        var tokens = new List<(string Token, string Currency)>();
        foreach (var c in cards)
        {
            tokens.Add((await sim.BindAsync(c), c.Currency));
        }

        var authorizations = new System.Collections.Concurrent.ConcurrentBag<string>();
        var codes = new System.Collections.Concurrent.ConcurrentDictionary<string, int>();
        const int Operations = 10_000;
        const int Workers = 16;
        await Parallel.ForEachAsync(Enumerable.Range(0, Workers), async (w, ct) =>
        {
            var random = new Random(1000 + w);
            for (var i = w; i < Operations; i += Workers)
            {
                var issuer = sim.Issuers[random.Next(3)];
                var roll = random.Next(10);
                string code;
                if (roll < 5 || authorizations.IsEmpty)
                {
                    // A small key space forces replays; the request is derived from the key, so a replay is identical.
                    var key = random.Next(3000);
                    var (token, currency) = tokens[key % tokens.Count];
                    var amount = 100 + key % 50_000;
                    var reply = await issuer.AuthorizeAsync(new AuthorizeRequest
                    {
                        CardToken = token, AmountMinor = amount, Currency = currency, MerchantId = "m-" + (key % 3),
                        OrderReference = "order-" + key, IdempotencyKey = "auth-" + key,
                    }, cancellationToken: ct);
                    if (reply.ResponseCode == "00")
                    {
                        authorizations.Add(reply.AuthorizationId);
                    }

                    code = reply.ResponseCode;
                }
                else
                {
                    var auth = authorizations.ElementAt(random.Next(authorizations.Count));
                    var amount = random.Next(0, 30_000);
                    code = roll < 8
                        ? (await issuer.CaptureAsync(new CaptureRequest { AuthorizationId = auth, AmountMinor = amount, IdempotencyKey = $"cap-{w}-{i}" }, cancellationToken: ct)).ResponseCode
                        : (await issuer.RefundAsync(new RefundRequest { AuthorizationId = auth, AmountMinor = amount, IdempotencyKey = $"ref-{w}-{i}" }, cancellationToken: ct)).ResponseCode;
                }

                codes.AddOrUpdate(code, 1, (_, n) => n + 1);
            }
        });

        var inv = await sim.Http.GetFromJsonAsync<Invariants>("/v1/invariants");
        Assert.NotNull(inv);
        Assert.True(inv.MoneyConserved, string.Join("; ", inv.Violations));
        Assert.Equal(0, inv.DuplicateCharges);
        Assert.Empty(inv.Violations);
        Assert.Equal(Operations, codes.Values.Sum());
        Assert.True(codes.GetValueOrDefault("00") > 1000, "most operations are approved");
        Assert.True(inv.CapturedMinor > 0 && inv.RefundedMinor > 0, "captures and refunds happened");
        var stats = sim.Host.GetStats();
        Assert.All(stats.Nodes.Where(n => n.Name.StartsWith("issuer-", StringComparison.Ordinal)), n => Assert.InRange(n.Requests, 2_800, 4_000));
    }

    private sealed record Invariants(long DuplicateCharges, bool MoneyConserved, long CapturedMinor, long RefundedMinor, List<string> Violations);
}
