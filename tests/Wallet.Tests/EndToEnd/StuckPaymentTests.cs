using System.Net;
using Grpc.Net.Client;
using PaySim.Contracts.Issuer.V1;
using PaySim.Wallet.Configuration;
using PaySim.Wallet.Integration;
using PaySim.Wallet.Storage;

namespace PaySim.Wallet.Tests.EndToEnd;

/// <summary>
/// A wallet process takes a payment, reaches the issuer, and dies before it records the outcome: the
/// payment stays pending. A retry with the same Idempotency-Key must not be told "in progress" forever,
/// nor charge the card again.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class StuckPaymentTests
{
    private static readonly TimeSpan AttemptTimeout = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task A_payment_left_pending_by_a_dead_process_is_taken_over_after_its_lease_and_charged_once()
    {
        await using var cluster = await Cluster.StartAsync(WalletMode.Resilient, wallet: o =>
        {
            o.AttemptTimeout = AttemptTimeout;
            o.CallTimeout = CallTimeout;
        });
        var client = await cluster.NewUserAsync();
        var cardId = await cluster.BindAsync(client, cluster.Cardholder("healthy"));
        const string key = "stuck-key-1";
        const string order = "stuck-order-1";
        var database = new WalletDatabase(cluster.DatabasePath);
        var card = (await new CardStore(database).GetCardAsync(client.UserId!, cardId, CancellationToken.None))!;

        // The dead process got as far as the issuer: the hold exists under the wallet's issuer key.
        using (var channel = GrpcChannel.ForAddress(cluster.Simulator.IssuerNodes[0].Uri))
        {
            var held = await new Issuer.IssuerClient(channel).AuthorizeAsync(new AuthorizeRequest
            {
                CardToken = card.CardToken, AmountMinor = 100, Currency = client.Currency, MerchantId = "m-test", OrderReference = order,
                IdempotencyKey = IssuerKeys.Authorize(client.UserId!, key),
            });
            Assert.Equal("00", held.ResponseCode);
        }

        var startedMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        Assert.True(await new PaymentStore(database).TryInsertAsync(
            new PaymentRecord("p_stuck", client.UserId!, key, cardId, 100, client.Currency, "m-test", order, PaymentStatus.Pending, null, null, null, null, 0, startedMs),
            CancellationToken.None));

        var early = await Cluster.PayAsync(client, 100, order, key, cardId);
        Assert.Equal((HttpStatusCode.Conflict, "payment_in_progress"), (early.Status, early.ErrorCode));

        // Lease = 2 × callTimeout + attemptTimeout = 2.5 s after the payment was last touched.
        await Task.Delay(TimeSpan.FromMilliseconds(Math.Max(0, startedMs + 2_600 - DateTimeOffset.UtcNow.ToUnixTimeMilliseconds())));
        var late = await Cluster.PayAsync(client, 100, order, key, cardId);
        Assert.True(late.Status == HttpStatusCode.Created, late.ToString());
        Assert.Equal(("p_stuck", "completed"), (late.Str("paymentId"), late.Str("status")));

        var replay = await Cluster.PayAsync(client, 100, order, key, cardId);
        Assert.Equal((HttpStatusCode.OK, true, "p_stuck"), (replay.Status, replay.Replayed, replay.Str("paymentId")));
        var invariants = cluster.Simulator.GetInvariants();
        Assert.Equal(0, invariants.DuplicateCharges);
        Assert.True(invariants.MoneyConserved, string.Join("; ", invariants.Violations));
        Assert.Equal(100, invariants.CapturedMinor);
        Assert.Equal(0, invariants.HeldMinor);
    }
}
