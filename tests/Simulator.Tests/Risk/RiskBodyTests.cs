using System.Net;
using System.Text;
using System.Text.Json;
using PaySim.Simulator.Tests.Support;

namespace PaySim.Simulator.Tests.Risk;

/// <summary>An empty or broken risk document is worded as the fault parser words one, without System.Text.Json's internals.</summary>
public sealed class RiskBodyTests
{
    [Theory]
    [InlineData("", "invalid risk rules: risk: is empty; give a JSON object such as {\"velocity\": {\"count\": 5, \"window\": \"10s\"}} ({} is the defaults)")]
    [InlineData("  ", "invalid risk rules: risk: is empty; give a JSON object such as {\"velocity\": {\"count\": 5, \"window\": \"10s\"}} ({} is the defaults)")]
    [InlineData("{", "invalid risk rules: risk: not valid JSON at line 1, position 2: ")]
    public async Task A_risk_body_that_is_no_JSON_is_worded_as_the_fault_parser_words_it(string body, string expected)
    {
        await using var sim = await TestSimulator.StartAsync(TestSimulator.EphemeralOptions(nodes: 1, cardholders: 10));

        using var response = await sim.Http.PutAsync("/v1/risk", new StringContent(body, Encoding.UTF8, "application/json"));
        var error = await ErrorAsync(response);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith(expected, error);
        Assert.DoesNotContain("isFinalBlock", error);
        Assert.DoesNotContain("LineNumber", error);
    }

    [Fact]
    public async Task A_duplicate_field_in_a_risk_body_is_placed_at_its_second_occurrence_not_at_position_1()
    {
        await using var sim = await TestSimulator.StartAsync(TestSimulator.EphemeralOptions(nodes: 1, cardholders: 10));

        using var response = await sim.Http.PutAsync("/v1/risk", new StringContent("{\"amount\": {\"maxMinor\": 100},\n \"amount\": {\"maxMinor\": 200}}", Encoding.UTF8, "application/json"));
        var error = await ErrorAsync(response);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith("invalid risk rules: risk: not valid JSON at line 2, position 2: ", error, StringComparison.Ordinal);
        Assert.Contains("amount", error, StringComparison.Ordinal);
    }

    private static async Task<string> ErrorAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString()!;
}
