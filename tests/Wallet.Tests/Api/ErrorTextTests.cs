using System.Net;
using PaySim.Contracts.Qr;
using PaySim.Wallet.Hosting;
using PaySim.Wallet.Tests.Support;

namespace PaySim.Wallet.Tests.Api;

/// <summary>
/// What the wallet's bodies say about bad input (fuzz report 3.4): text written as it is (an apostrophe, not
/// <c>\u0027</c>), a long value from the client echoed cut, and free text with control characters refused.
/// </summary>
public sealed class ErrorTextTests : IAsyncLifetime, IDisposable
{
    private readonly TempDatabase _db = new();
    private WalletHost _host = null!;

    public async Task InitializeAsync() => _host = await WalletHost.StartAsync(Hosts.Options(_db.Path));

    public async Task DisposeAsync() => await _host.DisposeAsync();

    public void Dispose() => _db.Dispose();

    [Fact]
    public async Task Bodies_WriteApostropheAndPlusAsThemselves_NotAsUnicodeEscapes()
    {
        using var client = new WalletClient(_host.Instances[0].Uri);

        var unknownField = await client.SendAsync(HttpMethod.Post, "/users", System.Text.Json.JsonSerializer.Deserialize<object>("""{"phone":"+447700900123","pni":"1"}"""));
        var badPhone = await client.PostAsync("/users", new { phone = "1", password = "passw0rd!", pin = "246810" });
        var registered = await client.RegisterAsync("+447700900124");

        Assert.Equal(HttpStatusCode.BadRequest, unknownField.Status);
        Assert.Contains("unknown field 'pni' in the body", unknownField.Text, StringComparison.Ordinal);
        Assert.Contains("optionally starting with + (e.g. 13812345678 or +447700900123)", badPhone.Text, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Created, registered.Status);
        Assert.Contains("\"phone\":\"+447700900124\"", registered.Text, StringComparison.Ordinal);
        Assert.All([unknownField, badPhone, registered], r =>
        {
            Assert.DoesNotContain("\\u0027", r.Text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("\\u002B", r.Text, StringComparison.OrdinalIgnoreCase);
        });
    }

    [Fact]
    public async Task NotFound_WithAVeryLongId_EchoesItCutAndSaysSo()
    {
        using var client = new WalletClient(_host.Instances[0].Uri);
        await client.RegisterAsync("13800000101");
        var id = new string('b', 5000);
        var cut = new string('b', 64) + "…";

        var binding = await client.GetAsync("/cards/bind/" + id);
        var payment = await client.GetAsync("/payments/" + id);
        var refund = await client.PostAsync($"/payments/{id}/refund", null, "k-refund");
        var route = await client.GetAsync("/no/such/" + id);
        var unknownField = await client.SendAsync(HttpMethod.Post, "/users", System.Text.Json.JsonSerializer.Deserialize<object>($$"""{"{{id}}":1}"""));
        var shortId = await client.GetAsync("/cards/bind/b_x");

        Assert.Equal((HttpStatusCode.NotFound, "binding_not_found"), (binding.Status, binding.ErrorCode));
        Assert.Equal($"No binding '{cut}' (cut to the first 64 of its 5000 characters (Unicode code points)) for this user.", Message(binding));
        Assert.Equal($"No payment '{cut}' (cut to the first 64 of its 5000 characters (Unicode code points)) for this user.", Message(payment));
        Assert.Equal((HttpStatusCode.NotFound, "payment_not_found"), (refund.Status, refund.ErrorCode));
        Assert.Equal((HttpStatusCode.NotFound, "not_found"), (route.Status, route.ErrorCode));
        Assert.Equal((HttpStatusCode.BadRequest, "invalid_request"), (unknownField.Status, unknownField.ErrorCode));
        Assert.All([binding, payment, refund, route, unknownField], r =>
        {
            Assert.True(r.Text.Length < 400, $"{r.Text.Length} characters: {r.Text[..200]}");
            Assert.Contains("of its 5", r.Text, StringComparison.Ordinal);
        });
        Assert.Equal("No binding 'b_x' for this user.", Message(shortId));
    }

    public static TheoryData<int, string> ControlTexts => new()
    {
        { 1, "m\u0000x" }, { 2, "m\nx" }, { 3, "s11\u0007" }, { 4, "tab\there" }, { 5, "m\u0085x" }, { 6, "m\u2028x" },
    };

    [Theory]
    [MemberData(nameof(ControlTexts))]
    public async Task FreeText_WithAControlCharacter_Is422NamingTheField(int user, string text)
    {
        using var client = new WalletClient(_host.Instances[0].Uri);
        var phone = $"1390000{user:0000}";
        var named = await client.PostAsync("/users", new { phone, password = "passw0rd!", pin = "246810", name = text });
        await client.RegisterAsync(phone);

        var merchant = await client.PostAsync("/payments", new { amount = 100, currency = "CNY", merchant = text, orderReference = "o", pin = "246810" }, "k-m");
        var orderReference = await client.PostAsync("/payments", new { amount = 100, currency = "CNY", merchant = "m", orderReference = text, pin = "246810" }, "k-o");
        var holderName = await client.PostAsync("/cards/bind", new { pan = "6299990000000504", expiry = "12/35", cvv = "123", holderName = text, idNumber = "110101199001011018", phone = "13800000005" });
        var qr = await client.PostAsync("/payments/qr", new { qr = EmvQr.Build(new MerchantQr(text, "Shop", "Shanghai", "156", 100, null)), pin = "246810" }, "k-q");

        foreach (var (reply, field) in new[] { (named, "name"), (merchant, "merchant"), (orderReference, "orderReference"), (holderName, "holderName") })
        {
            Assert.Equal((HttpStatusCode.UnprocessableEntity, "invalid_request"), (reply.Status, reply.ErrorCode));
            Assert.Equal($"{field} must not contain control characters such as line breaks", Message(reply));
        }

        Assert.Equal((HttpStatusCode.BadRequest, "invalid_qr"), (qr.Status, qr.ErrorCode));
        Assert.Equal("qr: the merchant id (tag 26, sub-tag 01) must not contain control characters such as line breaks", Message(qr));
    }

    [Fact]
    public async Task FreeText_WithEmojiJoinersAndAccents_IsStillAccepted()
    {
        using var client = new WalletClient(_host.Instances[0].Uri);
        await client.RegisterAsync("13800000102");

        // Format characters (the zero-width joiner of 👩‍💻) and combining accents are text, not control characters;
        // with no card bound, a body within every rule gets as far as card_not_found.
        var reply = await client.PostAsync("/payments", new { amount = 100, currency = "CNY", merchant = "café 👩\u200D💻", orderReference = "e\u0301-1", pin = "246810" }, "k-fits");

        Assert.Equal("card_not_found", reply.ErrorCode);
    }

    private static string Message(WalletClient.Reply reply) => reply.Json!["error"]!["message"]!.GetValue<string>();
}
