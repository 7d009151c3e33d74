using PaySim.Wallet.Configuration;

namespace PaySim.Wallet.Tests.Configuration;

/// <summary>
/// The <c>--config</c> file reader: a bad file is one line naming the field and what it takes (never a .NET type), an
/// unknown or doubled field is refused by name, and a directory or a JSON <c>null</c> is called what it is.
/// </summary>
public sealed class WalletOptionsFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("paysim-wallet-config-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData("""{"port":"abc"}""", """port must be a whole number 0..65535, like 7300 (got "abc")""")]
    [InlineData("""{"port":99999999999}""", """port must be a whole number 0..65535, like 7300 (got 99999999999)""")]
    [InlineData("""{"maxRetryAttempts":null}""", """maxRetryAttempts must be a whole number 0..10, like 3 (got null)""")]
    [InlineData("""{"callTimeout":"99999999:00:00"}""", """callTimeout must be a duration 10 ms..24 h written [d.]hh:mm:ss[.fffffff], like "00:00:08" (got "99999999:00:00")""")]
    [InlineData("""{"SessionLifetime":3600}""", """sessionLifetime must be a duration 1 s..365 d written [d.]hh:mm:ss[.fffffff], like "1.00:00:00" (got 3600)""")]
    [InlineData("""{"retryBudgetTokenRatio":"a tenth"}""", """retryBudgetTokenRatio must be a number, like 0.1 (got "a tenth")""")]
    [InlineData("""{"requirePaymentPin":"yes"}""", """requirePaymentPin must be true or false (got "yes")""")]
    [InlineData("""{"databasePath":5}""", """databasePath must be text (a JSON string), like "wallet.db" (got 5)""")]
    [InlineData("""{"mode":"sometimes"}""", """mode must be one of naive, resilient (got "sometimes")""")]
    [InlineData("""{"minimumLogLevel":"loud"}""", """minimumLogLevel must be one of trace, debug, information, warning, error, critical, none (got "loud")""")]
    [InlineData("""{"smsGatewayUri":"http://127.0.0.1:99999"}""", """smsGatewayUri must be an absolute http(s) URL, like "http://localhost:7201"; port 99999 is not 1..65535 (got "http://127.0.0.1:99999")""")]
    [InlineData("""{"issuerUris":["http://127.0.0.1:7101","http://127.0.0.1:99999"]}""", """issuerUris must be a list of absolute http(s) URLs, like ["http://localhost:7101","http://localhost:7102","http://localhost:7103"]; port 99999 is not 1..65535 (got "http://127.0.0.1:99999")""")]
    [InlineData("""{"defects":"lost-reply"}""", """defects must be a list of names, like ["no-failover"] (got "lost-reply")""")]
    [InlineData("""{"mode":"resilient","bogus":1}""", "unknown field 'bogus'; docs/wallet.md, Configuration, lists the fields")]
    [InlineData("""{"port":7790,"port":7791}""", "field 'port' appears more than once")]
    [InlineData("""{"port":7790,"Port":7791}""", "field 'port' appears more than once")]
    [InlineData("{\"port\": [\n  1,\n  2\n]}", """port must be a whole number 0..65535, like 7300 (got [ 1, 2 ])""")]
    [InlineData("[1,2]", """the file must be a JSON object of WalletOptions fields, e.g. {"port": 7300} (got [1,2])""")]
    public void Load_AWrongValue_IsOneLineNamingTheFieldAndWhatItTakes(string json, string expected)
    {
        var path = Write(json);

        var e = Assert.Throws<WalletOptionsException>(() => WalletOptionsFile.Load(path));

        Assert.Equal($"invalid wallet options: config file '{path}': {expected}", e.Message);
        Assert.DoesNotContain("System.", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(".NET", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_JsonNull_SaysTheFileMustBeAnObject_NotThatItIsEmpty()
    {
        var path = Write("null");

        var e = Assert.Throws<WalletOptionsException>(() => WalletOptionsFile.Load(path));

        Assert.Equal($"invalid wallet options: config file '{path}' must be a JSON object of WalletOptions fields, e.g. {{\"port\": 7300}} (got null)", e.Message);
    }

    [Fact]
    public void Load_AnEmptyFile_IsEmpty()
    {
        var path = Write(" \n");

        var e = Assert.Throws<WalletOptionsException>(() => WalletOptionsFile.Load(path));

        Assert.StartsWith($"invalid wallet options: config file '{path}' is empty; it must be a JSON object", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ADirectory_SaysItIsADirectory()
    {
        var e = Assert.Throws<WalletOptionsException>(() => WalletOptionsFile.Load(_dir));

        Assert.Equal($"invalid wallet options: config file '{_dir}' is a directory; give the JSON file, e.g. {Path.Combine(_dir, "wallet.json")}", e.Message);
    }

    [Fact]
    public void Load_BrokenJson_NamesTheLine()
    {
        var path = Write("{\n  \"port\": 7300,\n  \"mode\": \n");

        var e = Assert.Throws<WalletOptionsException>(() => WalletOptionsFile.Load(path));

        Assert.StartsWith($"invalid wallet options: config file '{path}': not valid JSON at line ", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void Load_TheDocumentedExample_SetsItsFields()
    {
        var path = Write("""
            { "mode": "resilient", "balancingPolicy": "least_requests", "attemptTimeout": "00:00:00.500",
              "callTimeout": "00:00:04", "maxRetryAttempts": 2, "issuerUris": ["http://10.0.0.5:7101", "http://10.0.0.6:7101"],
              // comments and a trailing comma are allowed
              "minimumLogLevel": "error", }
            """);

        var o = WalletOptionsFile.Load(path);

        Assert.Equal(WalletMode.Resilient, o.Mode);
        Assert.Equal("least_requests", o.BalancingPolicy);
        Assert.Equal(TimeSpan.FromMilliseconds(500), o.AttemptTimeout);
        Assert.Equal(TimeSpan.FromSeconds(4), o.CallTimeout);
        Assert.Equal(2, o.MaxRetryAttempts);
        Assert.Equal([new Uri("http://10.0.0.5:7101"), new Uri("http://10.0.0.6:7101")], o.IssuerUris);
        Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Error, o.MinimumLogLevel);
        Assert.Empty(WalletOptionsValidator.Validate(o));
    }

    private string Write(string json)
    {
        var path = Path.Combine(_dir, $"{Guid.NewGuid():N}.json");
        File.WriteAllText(path, json);
        return path;
    }
}
