using System.Net;
using PaySim.Wallet.Hosting;
using PaySim.Wallet.Storage;
using PaySim.Wallet.Tests.Support;

namespace PaySim.Wallet.Tests.Storage;

public sealed class PersistenceTests : IDisposable
{
    private readonly TempDatabase _db = new();

    public void Dispose() => _db.Dispose();

    [Fact]
    public async Task Restart_OnTheSameFile_KeepsUsersSessionsCardsAndPayments()
    {
        string token, userId, paymentId = "p_" + Guid.NewGuid().ToString("N");
        await using (var host = await WalletHost.StartAsync(Hosts.Options(_db.Path)))
        {
            using var client = new WalletClient(host.Instances[0].Uri);
            await client.RegisterAsync("13800000010");
            (token, userId) = (client.Token!, client.UserId!);

            // A completed payment as the payment path writes it, without needing an issuer here.
            var database = new WalletDatabase(_db.Path);
            await new CardStore(database).InsertCardAsync(new CardRecord("c_1", userId, "tok_1", "4242", "visa", 1), CancellationToken.None);
            Assert.True(await new PaymentStore(database).TryInsertAsync(
                new PaymentRecord(paymentId, userId, "key-1", "c_1", 1999, "CNY", "m-1", "order-1", PaymentStatus.Completed, "auth-1", null, null, null, 0, 2),
                CancellationToken.None));
        }

        await using (var restarted = await WalletHost.StartAsync(Hosts.Options(_db.Path)))
        {
            using var client = new WalletClient(restarted.Instances[0].Uri) { Token = token };

            var payment = await client.GetAsync($"/payments/{paymentId}");
            var history = await client.GetAsync($"/users/{userId}/transactions");
            var replay = await client.PostAsync("/payments", new { amount = 1999, currency = "CNY", merchant = "m-1", orderReference = "order-1", pin = "246810" }, "key-1");
            var login = await client.PostAsync("/sessions", new { phone = "13800000010", password = "passw0rd!" });

            Assert.Equal(HttpStatusCode.OK, payment.Status);
            Assert.Equal(("completed", 1999L), (payment.Str("status"), payment.Long("amount")));
            Assert.Equal(paymentId, history.Json!["transactions"]![0]!["id"]!.GetValue<string>());
            Assert.Equal((HttpStatusCode.OK, true, paymentId), (replay.Status, replay.Replayed, replay.Str("paymentId")));
            Assert.Equal(HttpStatusCode.OK, login.Status);
        }
    }

    [Fact]
    public async Task Initialize_SwitchesTheFileToWal()
    {
        var database = new WalletDatabase(_db.Path);
        await database.InitializeAsync(CancellationToken.None);

        await using var connection = await database.OpenAsync(CancellationToken.None);
        await using var command = connection.Command("PRAGMA journal_mode;");
        Assert.Equal("wal", await command.ExecuteScalarAsync() as string);
    }
}
