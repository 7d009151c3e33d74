using Grpc.Net.Client;
using PaySim.Contracts.Control.V1;
using PaySim.Contracts.Issuer.V1;
using PaySim.Wallet.Integration;
using PaySim.Wallet.Storage;
using PaySim.Wallet.Tests.Support;

namespace PaySim.Wallet.Tests.EndToEnd;

/// <summary>
/// What a wallet process killed mid-request (kill -9) leaves behind, written exactly as it would be: the issuer calls
/// it got through under the wallet's issuer keys, and its rows in the shared SQLite file, last written
/// <c>age</c> ago (the process died then, so nobody wrote them since).
/// </summary>
internal sealed class DeadProcess(Cluster cluster, WalletClient client, string cardId)
{
    public enum Reached
    {
        Nothing,
        Authorized,
        Captured,
    }

    private readonly WalletDatabase _database = new(cluster.DatabasePath);

    public PaymentStore Payments => new(_database);

    /// <summary>A payment the dead process had reserved (pending) after making the issuer calls up to <paramref name="reached"/>.</summary>
    public async Task<PaymentRecord> AbandonPaymentAsync(string key, string order, long amount, Reached reached, TimeSpan age)
    {
        if (reached != Reached.Nothing)
        {
            var card = (await new CardStore(_database).GetCardAsync(client.UserId!, cardId, CancellationToken.None))!;
            await WithIssuerAsync(async issuer =>
            {
                var auth = await issuer.AuthorizeAsync(new AuthorizeRequest
                {
                    CardToken = card.CardToken, AmountMinor = amount, Currency = client.Currency, MerchantId = "m-test", OrderReference = order,
                    IdempotencyKey = IssuerKeys.Authorize(client.UserId!, key),
                });
                Assert.Equal("00", auth.ResponseCode);
                if (reached == Reached.Captured)
                {
                    var capture = await issuer.CaptureAsync(new CaptureRequest { AuthorizationId = auth.AuthorizationId, AmountMinor = amount, IdempotencyKey = IssuerKeys.Capture(client.UserId!, key) });
                    Assert.Equal("00", capture.ResponseCode);
                }
            });
        }

        var at = Ago(age);
        var payment = new PaymentRecord("p_" + Guid.NewGuid().ToString("N"), client.UserId!, key, cardId, amount, client.Currency, "m-test", order,
            PaymentStatus.Pending, null, null, null, null, 0, at, at);
        Assert.True(await Payments.TryInsertAsync(payment, CancellationToken.None));
        return payment;
    }

    /// <summary>A refund the dead process had reserved and recorded (pending), optionally after the issuer refunded it.</summary>
    public async Task<RefundRecord> AbandonRefundAsync(string paymentId, string authorizationId, string key, long amount, bool issuerRefunded, TimeSpan age)
    {
        if (issuerRefunded)
        {
            await WithIssuerAsync(async issuer => Assert.Equal("00", (await issuer.RefundAsync(new RefundRequest
            {
                AuthorizationId = authorizationId, AmountMinor = amount, IdempotencyKey = IssuerKeys.Refund(client.UserId!, paymentId, key),
            })).ResponseCode));
        }

        var at = Ago(age);
        Assert.True(await Payments.TryReserveRefundAsync(paymentId, amount, at, CancellationToken.None));
        var refund = new RefundRecord("r_" + Guid.NewGuid().ToString("N"), paymentId, client.UserId!, key, amount, PaymentStatus.Pending, null, at, at);
        Assert.True(await Payments.TryInsertRefundAsync(refund, CancellationToken.None));
        return refund;
    }

    /// <summary>Makes a row look last written <paramref name="age"/> ago, as if its writer had died then.</summary>
    public async Task AgeAsync(string table, string id, TimeSpan age)
    {
        await using var connection = await _database.OpenAsync(CancellationToken.None);
        await using var command = connection.Command($"UPDATE {table} SET updated_at = $at WHERE id = $id", ("$at", Ago(age)), ("$id", id));
        Assert.Equal(1, await command.ExecuteNonQueryAsync());
    }

    /// <summary>The issuer's ledger since the last reset: every authorization and what became of it.</summary>
    public IReadOnlyList<LedgerEntry> Ledger() => cluster.Simulator.GetLedger("", 10_000).Entries;

    private static long Ago(TimeSpan age) => DateTimeOffset.UtcNow.Add(-age).ToUnixTimeMilliseconds();

    private async Task WithIssuerAsync(Func<Issuer.IssuerClient, Task> calls)
    {
        using var channel = GrpcChannel.ForAddress(cluster.Simulator.IssuerNodes[0].Uri);
        await calls(new Issuer.IssuerClient(channel));
    }
}
