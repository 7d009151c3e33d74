using System.Text.Json.Nodes;
using PaySim.LoadEngine;
using PaySim.LoadTests.Reporting;
using Spectre.Console;

namespace PaySim.LoadTests.Tests.Reporting;

public sealed class FinalTableCapacityTests
{
    [Fact]
    public void AStepNotJudged_SaysWhy_AndTheKneeComesFromTheJudgedSteps()
    {
        var text = Print(Capacity(50, reached: true, (20, null, null), (50, 12, true), (100, 900, false)));

        Assert.Contains("not judged (generator late)", text, StringComparison.Ordinal);
        Assert.Contains("knee: 50/s", text, StringComparison.Ordinal);
        Assert.DoesNotContain("not reached", text, StringComparison.Ordinal);
    }

    [Fact]
    public void NoStepJudged_PrintsNoKnee_NotAKneeThatWasNotReached()
    {
        var text = Print(Capacity(null, reached: false, (20, null, null), (50, null, null)));

        Assert.Contains("knee: none (no step could be judged: the generator was late in all of them)", text, StringComparison.Ordinal);
        Assert.DoesNotContain("every judged step met", text, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryStepPassing_SaysTheKneeWasNotReached()
    {
        var text = Print(Capacity(50, reached: false, (20, 10, true), (50, 12, true)));

        Assert.Contains("knee: 50/s (not reached: every judged step met the objectives)", text, StringComparison.Ordinal);
    }

    private static string Print(JsonObject capacity)
    {
        var summary = new RunSummary { Plan = "capacity", StartedUtc = DateTimeOffset.UnixEpoch, DurationS = 24 };
        summary.Extra["capacity"] = capacity;
        var writer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors, Out = new AnsiConsoleOutput(writer) });
        console.Profile.Width = 200;
        FinalTable.Print(console, summary, "reports/x");
        return writer.ToString();
    }

    private static JsonObject Capacity(double? kneeRps, bool reached, params (double Rate, double? P99, bool? Pass)[] steps) => new()
    {
        ["scenario"] = "payment",
        ["objectives"] = new JsonArray("p99 < 250ms"),
        ["kneeRps"] = kneeRps,
        ["kneeReached"] = reached,
        ["steps"] = new JsonArray(steps.Select(s => (JsonNode?)new JsonObject
        {
            ["rate"] = s.Rate, ["rps"] = s.Rate, ["p99Ms"] = s.P99, ["okRate"] = s.P99 is null ? null : 1.0, ["pass"] = s.Pass, ["lateSeconds"] = s.Pass is null ? 7 : 0,
        }).ToArray()),
    };
}
