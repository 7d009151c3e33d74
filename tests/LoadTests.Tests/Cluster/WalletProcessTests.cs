using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using PaySim.LoadTests.Cluster;
using PaySim.Wallet.Configuration;

namespace PaySim.LoadTests.Tests.Cluster;

/// <summary>A wallet instance as a real child process: killed without a drain, restarted on its port and database, frozen and thawed, gone with its parent.</summary>
public sealed class WalletProcessTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("paysim-wproc-").FullName;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };

    private WalletOptions Template => new()
    {
        // Registration and history need no issuer; the health checks of this address just fail quietly.
        IssuerUris = [new Uri("http://127.0.0.1:9")],
        DatabasePath = Path.Combine(_dir, "wallet.db"),
        PasswordHashIterations = 1_000,
        PinHashIterations = 1_000,
        MinimumLogLevel = Microsoft.Extensions.Logging.LogLevel.Critical,
    };

    [Fact]
    public async Task Crash_RefusesConnectionsUntilRestartWhichServesTheSameDataOnTheSamePort()
    {
        await using var wallet = await WalletProcess.StartAsync(Template, 2, CancellationToken.None);
        Assert.Equal("wallet-2", wallet.Name);
        var (user, token) = await RegisterAsync(wallet.Uri);
        var port = wallet.Uri.Port;

        var killed = await wallet.KillAsync();
        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => _http.GetAsync(new Uri(wallet.Uri, "health")));
        var restarted = await wallet.RestartAsync(CancellationToken.None);

        Assert.StartsWith("SIGKILL pid ", killed, StringComparison.Ordinal);
        Assert.Equal(HttpRequestError.ConnectionError, refused.HttpRequestError);
        Assert.Contains($"port {port}", restarted, StringComparison.Ordinal);
        Assert.Equal(port, wallet.Uri.Port);
        using var history = new HttpRequestMessage(HttpMethod.Get, new Uri(wallet.Uri, $"users/{user}/transactions"));
        history.Headers.Authorization = new("Bearer", token);
        using var reply = await _http.SendAsync(history);
        Assert.True(reply.IsSuccessStatusCode, $"{(int)reply.StatusCode}: the session made before the crash is in the shared database");
        Assert.Equal("wallet-2", reply.Headers.GetValues("X-Served-By").Single());
    }

    [UnixFact]
    public async Task Freeze_HoldsRequestsUnansweredUntilThawThenAnswersThem()
    {
        await using var wallet = await WalletProcess.StartAsync(Template, 1, CancellationToken.None);

        wallet.Freeze();
        var held = _http.GetAsync(new Uri(wallet.Uri, "health"));
        var early = await Task.WhenAny(held, Task.Delay(TimeSpan.FromSeconds(1)));
        wallet.Thaw();

        Assert.NotSame(held, early);
        using var reply = await held;
        Assert.True(reply.IsSuccessStatusCode);
    }

    [Fact]
    public async Task AChildWhoseParentsEndOfStdinCloses_LeavesByItself()
    {
        var options = Template;
        options.Port = 0;
        using var child = Process.Start(WalletProcess.StartInfo(options))!;
        try
        {
            string? line;
            while ((line = await child.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30))) is not null && !line.StartsWith(WalletInstanceCommand.ReadyPrefix, StringComparison.Ordinal))
            {
            }

            Assert.NotNull(line);
            child.StandardInput.Close();

            await child.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(20));
            Assert.Equal(0, child.ExitCode);
        }
        finally
        {
            if (!child.HasExited)
            {
                child.Kill();
            }
        }
    }

    [Fact]
    public async Task TheHiddenVerb_WithBadOptions_ExitsTwoWithOneLine()
    {
        var (code, _, err) = await Cli.CliRunner.RunAsync(WalletInstanceCommand.Verb, "--options", "{not json");

        Assert.Equal(2, code);
        Assert.Single(err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("wallet-instance: --options", err, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _http.Dispose();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private async Task<(string User, string Token)> RegisterAsync(Uri wallet)
    {
        using var reply = await _http.PostAsJsonAsync(new Uri(wallet, "users"), new { phone = "13912345678", password = "Load-test-9", pin = "258147" });
        reply.EnsureSuccessStatusCode();
        var body = (await reply.Content.ReadFromJsonAsync<JsonObject>())!;
        return (body["userId"]!.GetValue<string>(), body["token"]!.GetValue<string>());
    }
}
