using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using PaySim.LoadTests.Scenarios;
using PaySim.LoadTests.SimulatorControl;
using PaySim.LoadTests.Tests.Support;

namespace PaySim.LoadTests.Tests.Scenarios;

/// <summary>What earlier runs took from the run's cards, read page by page from a control plane's <c>GET /v1/ledger</c>.</summary>
public sealed class EarlierSpendingReaderTests : IAsyncLifetime
{
    private const string Mine = "6235535375796264";
    private const string Other = "6235535375790001";
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-03-01T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
    private WebApplication? _app;
    private Uri _uri = new("http://127.0.0.1/");
    private bool _broken;

    public async Task InitializeAsync()
    {
        _app = await FakeHttpServer.StartAsync(server =>
        {
            var today = Now.AddHours(-2).ToUnixTimeMilliseconds();
            var yesterday = Now.AddDays(-1).ToUnixTimeMilliseconds();
            server.MapGet("/v1/ledger", (HttpRequest r) =>
            {
                if (_broken)
                {
                    return Results.Json(new { error = "no ledger" }, statusCode: 404);
                }

                // Page 1 (no cursor): a captured payment yesterday, another card's row; page 2: a hold partly refunded today, a released one today.
                return r.Query["since"].Count == 0
                    ? Results.Json(new
                    {
                        entries = new object[]
                        {
                            Row(1, Mine, authorized: 1_000, captured: 1_000, released: 0, refunded: 0, yesterday),
                            Row(2, Other, authorized: 9_999, captured: 0, released: 0, refunded: 0, today),
                        },
                        nextCursor = "0.2",
                        more = true,
                    })
                    : Results.Json(new
                    {
                        entries = new object[]
                        {
                            Row(3, Mine, authorized: 500, captured: 500, released: 0, refunded: 200, today),
                            Row(4, Mine, authorized: 300, captured: 0, released: 300, refunded: 0, today),
                        },
                        nextCursor = "0.4",
                        more = false,
                    });
            });
        });
        _uri = FakeHttpServer.UriOf(_app);
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    [Fact]
    public async Task Read_SumsWhatIsStillTakenAndWhatWasAuthorizedTodayPerCardOfTheRun()
    {
        using var control = new ControlPlaneClient(_uri);

        var (spending, rows, error) = await EarlierSpendingReader.ReadAsync(control, new HashSet<string> { Mine }, new FakeTimeProvider(Now), CancellationToken.None);

        Assert.Null(error);
        Assert.Equal(3, rows);
        // Taken: 1000 captured + (500 - 200 refunded) + (300 - 300 released) = 1300; today: 500 + 300 authorized.
        Assert.Equal(new EarlierSpending(1_300, 800), spending![Mine]);
        Assert.False(spending.ContainsKey(Other));
    }

    [Fact]
    public async Task Read_ALedgerThatCannotBeRead_SaysWhy()
    {
        _broken = true;
        using var control = new ControlPlaneClient(_uri);

        var (spending, _, error) = await EarlierSpendingReader.ReadAsync(control, new HashSet<string> { Mine }, new FakeTimeProvider(Now), CancellationToken.None);

        Assert.Null(spending);
        Assert.StartsWith("the issuer's ledger could not be read", error, StringComparison.Ordinal);
    }

    private static object Row(long sequence, string pan, long authorized, long captured, long released, long refunded, long createdUnixMs) => new
    {
        sequence,
        authorizationId = $"auth_{sequence:D10}",
        pan,
        authorizedMinor = authorized,
        capturedMinor = captured,
        releasedMinor = released,
        refundedMinor = refunded,
        state = "captured",
        createdUnixMs,
    };
}
