using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using PaySim.Wallet.Hosting;
using PaySim.Wallet.Tests.Support;

namespace PaySim.Wallet.Tests.Api;

/// <summary>
/// Every request body is read strictly: a field the call does not take (a typo such as <c>pni</c>) or a field
/// given twice (which value wins?) is a 400 naming the field, never silently ignored or overwritten.
/// </summary>
public sealed class StrictJsonTests : IAsyncLifetime, IDisposable
{
    private readonly TempDatabase _db = new();
    private WalletHost _host = null!;
    private string _token = null!;

    /// <summary>Each body-taking call, a valid body for it, and one of its fields.</summary>
    public static TheoryData<string, string, string> Calls => new()
    {
        { "/users", """{"phone":"13800000077","password":"passw0rd!","pin":"246810"}""", "pin" },
        { "/password-resets", """{"phone":"13800000011"}""", "phone" },
        { "/password-resets/confirm", """{"phone":"13800000011","code":"123456","newPassword":"passw0rd!2"}""", "newPassword" },
        { "/sessions/verify", """{"challengeId":"dc_none","code":"123456"}""", "code" },
        { "/sessions", """{"phone":"13800000011","password":"passw0rd!"}""", "password" },
        { "/cards/bind", """{"pan":"4000000000000002","expiry":"12/30","cvv":"123","holderName":"A B","idNumber":"1","phone":"13800000011"}""", "cvv" },
        { "/cards/bind/b_none/confirm", """{"otp":"123456"}""", "otp" },
        { "/payments", """{"amount":100,"currency":"CNY","merchant":"m","orderReference":"o","pin":"246810"}""", "amount" },
        { "/payments/qr", """{"qr":"000201","pin":"246810","amount":100}""", "amount" },
        { "/payments/p_none/refund", """{"amount":100}""", "amount" },
    };

    public async Task InitializeAsync()
    {
        _host = await WalletHost.StartAsync(Hosts.Options(_db.Path));
        using var client = new WalletClient(_host.Instances[0].Uri);
        await client.RegisterAsync("13800000011");
        _token = client.Token!;
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    public void Dispose() => _db.Dispose();

    [Theory]
    [MemberData(nameof(Calls))]
    public async Task Body_WithAnUnknownField_Is400NamingIt(string path, string body, string field)
    {
        var reply = await PostAsync(path, body[..^1] + ""","pni":"246810"}""");

        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Equal("invalid_request", reply.Json!["error"]!["code"]!.GetValue<string>());
        var message = reply.Json!["error"]!["message"]!.GetValue<string>();
        Assert.Contains("'pni'", message, StringComparison.Ordinal);
        Assert.Contains(field, message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Calls))]
    public async Task Body_WithAFieldTwice_Is400NamingIt(string path, string body, string field)
    {
        var twice = body[..^1] + $$""","{{field}}":{{(field == "amount" ? "999" : "\"999999\"")}}}""";

        var reply = await PostAsync(path, twice);

        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        var message = reply.Json!["error"]!["message"]!.GetValue<string>();
        Assert.Contains($"'{field}'", message, StringComparison.Ordinal);
        Assert.Contains("more than once", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1.5")]
    [InlineData("1e3")]
    [InlineData("99999999999999999999")]
    [InlineData("\"100\"")]
    [InlineData("true")]
    public async Task Amount_ThatIsNoWholeJsonNumber_Is400SayingSo_AndNothingIsCharged(string amount)
    {
        var reply = await PostAsync("/payments", $$"""{"cardId":"c_none","amount":{{amount}},"currency":"CNY","merchant":"m","orderReference":"o","pin":"246810"}""");

        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Equal("invalid_request", reply.Json!["error"]!["code"]!.GetValue<string>());
        Assert.Equal("field 'amount' must be a whole number written as digits (no quotes, fraction or exponent) from 1 to 1000000000000",
            reply.Json!["error"]!["message"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("/payments/qr", """{"qr":"000201","pin":"246810","amount":"5"}""", "from 1 to 1000000000000")]
    [InlineData("/payments/p_none/refund", """{"amount":"5"}""", "from 1 to 1000000000000 and at most what is left of the payment, or left out to refund the rest")]
    [InlineData("/payments/p_none/refund", """{"amount":2.5}""", "from 1 to 1000000000000 and at most what is left of the payment, or left out to refund the rest")]
    public async Task Amount_OfTheWrongKind_NamesTheCallsOwnRange_NotTheTypes(string path, string body, string range)
    {
        var reply = await PostAsync(path, body);

        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        var message = reply.Json!["error"]!["message"]!.GetValue<string>();
        Assert.EndsWith(range, message, StringComparison.Ordinal);
        Assert.DoesNotContain("9223372036854775807", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/payments", "[1,2]", "amount, currency, merchant, orderReference, cardId, pin")]
    [InlineData("/users", "\"13800000080\"", "phone, password, pin, name")]
    [InlineData("/payments/p_none/refund", "5", "amount")]
    [InlineData("/sessions", "true", "phone, password")]
    public async Task Body_ThatIsNoJsonObject_Is400SayingSo_WithoutDotNetTypeNames(string path, string body, string fields)
    {
        var reply = await PostAsync(path, body);

        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Equal($"the body must be a JSON object; this call takes {fields}", reply.Json!["error"]!["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Body_CutShort_SaysItEndsBeforeItIsClosed()
    {
        var reply = await PostAsync("/payments", "{");

        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Equal("the body ends before its JSON object or array is closed", reply.Json!["error"]!["message"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("/cards/bind/b_none/resend")]
    [InlineData("/payments/p_none/resend")]
    public async Task Resend_WithAField_Is400LikeEveryOtherCall_WhileNoBodyOrAnEmptyObjectPasses(string path)
    {
        var withField = await PostAsync(path, """{"x":1}""");
        var empty = await PostAsync(path, "{}");

        Assert.Equal(HttpStatusCode.BadRequest, withField.Status);
        Assert.Equal("unknown field 'x' in the body; this call takes no fields (send no body, or {})", withField.Json!["error"]!["message"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, empty.Status);
    }

    [Fact]
    public async Task Text_WithAnUnpairedSurrogate_Is400NamingTheField()
    {
        var reply = await PostAsync("/users", """{"phone":"13800000079","password":"passw0rd!","pin":"246810","name":"\ud800"}""");

        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.StartsWith("field 'name' must be text", reply.Json!["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Body_SameFieldInAnotherCase_CountsAsTwice()
    {
        var reply = await PostAsync("/users", """{"phone":"13800000078","password":"passw0rd!","pin":"246810","PIN":"135790"}""");

        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Contains("more than once", reply.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Body_WithOnlyKnownFields_IsStillAccepted()
    {
        var reply = await PostAsync("/users", """{"phone":"13800000079","password":"passw0rd!","pin":"246810","name":"Ada"}""");

        Assert.Equal(HttpStatusCode.Created, reply.Status);
    }

    [Fact]
    public async Task Body_AfterAUtf8ByteOrderMark_IsReadAsIfTheMarkWereNotThere()
    {
        byte[] bom = [0xEF, 0xBB, 0xBF];

        var registered = await PostAsync("/users", [.. bom, .. """{"phone":"13800000081","password":"passw0rd!","pin":"246810"}"""u8]);
        var typo = await PostAsync("/users", [.. bom, .. """{"phone":"13800000082","pni":"246810"}"""u8]);
        var onlyTheMark = await PostAsync("/users", bom);
        var none = await PostAsync("/users", []);

        Assert.Equal(HttpStatusCode.Created, registered.Status);
        Assert.Equal(HttpStatusCode.BadRequest, typo.Status);
        Assert.Contains("'pni'", typo.Json!["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(none.Status, onlyTheMark.Status);
        Assert.Equal(none.Text, onlyTheMark.Text);
        Assert.StartsWith("a JSON body {phone, password, pin} is required", onlyTheMark.Json!["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    private Task<(HttpStatusCode Status, JsonNode? Json, string Text)> PostAsync(string path, string json) => PostAsync(path, Encoding.UTF8.GetBytes(json));

    private async Task<(HttpStatusCode Status, JsonNode? Json, string Text)> PostAsync(string path, byte[] body)
    {
        using var http = new HttpClient { BaseAddress = _host.Instances[0].Uri };
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _token);
        request.Headers.Add("Idempotency-Key", "k-" + Guid.NewGuid().ToString("N"));
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length > 0 ? JsonNode.Parse(text) : null, text);
    }
}
