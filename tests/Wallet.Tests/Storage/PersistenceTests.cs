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
            await new CardStore(database).InsertCardOnceAsync(new CardRecord("c_1", userId, "tok_1", "4242", "visa", 1), "b_1", CancellationToken.None);
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

    [Fact]
    public async Task Initialize_OnAFileFromAnOlderWallet_AddsTheNewColumnsAndKeepsItsRows()
    {
        await using (var old = new Microsoft.Data.Sqlite.SqliteConnection("Data Source=" + _db.Path))
        {
            await old.OpenAsync();
            await using var schema = old.Command("""
                CREATE TABLE cards (id TEXT PRIMARY KEY, user_id TEXT NOT NULL, card_token TEXT NOT NULL, last4 TEXT NOT NULL, network TEXT NOT NULL, created_at INTEGER NOT NULL);
                CREATE TABLE payments (id TEXT PRIMARY KEY, user_id TEXT NOT NULL, idempotency_key TEXT NOT NULL, card_id TEXT NOT NULL, amount_minor INTEGER NOT NULL,
                  currency TEXT NOT NULL, merchant TEXT NOT NULL, order_reference TEXT NOT NULL, status TEXT NOT NULL, authorization_id TEXT, error_code TEXT,
                  error_message TEXT, error_status INTEGER, refunded_minor INTEGER NOT NULL DEFAULT 0, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,
                  UNIQUE (user_id, idempotency_key));
                INSERT INTO cards VALUES ('c_old', 'u_1', 'tok_old', '4242', 'visa', 1);
                INSERT INTO payments (id, user_id, idempotency_key, card_id, amount_minor, currency, merchant, order_reference, status, created_at, updated_at)
                  VALUES ('p_old', 'u_1', 'k', 'c_old', 100, 'CNY', 'm', 'o', 'completed', 1, 1);
                """);
            await schema.ExecuteNonQueryAsync();
        }

        var database = new WalletDatabase(_db.Path);
        await database.InitializeAsync(CancellationToken.None);
        await database.InitializeAsync(CancellationToken.None);

        var payment = await new PaymentStore(database).GetAsync("p_old", CancellationToken.None);
        Assert.Equal(("completed", false), (payment!.Status, payment.ReleasePending));
        var cards = new CardStore(database);
        var first = await cards.InsertCardOnceAsync(new CardRecord("c_new", "u_1", "tok_new", "1111", "visa", 2), "b_new", CancellationToken.None);
        var again = await cards.InsertCardOnceAsync(new CardRecord("c_dup", "u_1", "tok_new", "1111", "visa", 3), "b_new", CancellationToken.None);
        Assert.Equal(("c_new", "c_new"), (first.Id, again.Id));
        Assert.Equal(["c_old", "c_new"], (await cards.ListCardsAsync("u_1", CancellationToken.None)).Select(c => c.Id));
        database.ReleasePooledConnections();
    }
}
