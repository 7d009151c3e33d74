using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using PaySim.Simulator.Tests.Support;

namespace PaySim.Simulator.Tests.Control;

/// <summary>
/// GET /v1/cardholders with a filter no generated card can match (a persona of weight 0, magic) scanned every card of a
/// registry of 100,000,000 before answering, and went on after the client left; it now answers at once and stops when
/// the caller goes away.
/// </summary>
public sealed class CardholderListingTests
{
    // Default cardholders have no risk persona and a magic card is no generated one: on a registry of 100,000,000 such a
    // filter scanned every card (minutes) before answering; now it answers at once.
    [Theory]
    [InlineData("risk-flagged", 0)]
    [InlineData("frequent-payer", 0)]
    [InlineData("magic", 5)]
    public async Task A_filter_no_generated_card_can_match_answers_at_once(string persona, int expected)
    {
        await using var sim = await TestSimulator.StartAsync(TestSimulator.EphemeralOptions(nodes: 1, cardholders: 100_000_000));
        var started = Stopwatch.StartNew();

        var body = await sim.Http.GetStringAsync($"/v1/cardholders?persona={persona}&count=5");

        Assert.True(started.Elapsed < TimeSpan.FromSeconds(5), $"took {started.Elapsed}");
        Assert.Equal(expected, JsonDocument.Parse(body).RootElement.GetProperty("cardholders").GetArrayLength());
    }

    [Fact]
    public async Task A_host_that_weights_a_risk_persona_lists_it()
    {
        var options = TestSimulator.EphemeralOptions(nodes: 1, cardholders: 200);
        options.PersonaWeights = new() { ["healthy"] = 0.8, ["risk-flagged"] = 0.2 };
        await using var sim = await TestSimulator.StartAsync(options);

        var body = await sim.Http.GetStringAsync("/v1/cardholders?persona=risk-flagged&count=3");

        Assert.Equal(3, JsonDocument.Parse(body).RootElement.GetProperty("cardholders").GetArrayLength());
    }

    [Fact]
    public void A_listing_ends_when_its_caller_goes_away()
    {
        var registry = PaySim.Simulator.Cardholders.CardholderRegistry.Create(42, 100_000_000);
        using var gone = new CancellationTokenSource();
        gone.Cancel();

        // slow-sms is rare: 100,000 of them far into the file is a scan of minutes unless the token ends it.
        var rows = registry.List(100_000, "slow-sms", offset: 1_000_000, cancellationToken: gone.Token);

        Assert.ThrowsAny<OperationCanceledException>(() => rows.Count());
    }
}
