using PaySim.LoadEngine.Reporting;
using Spectre.Console;

namespace PaySim.LoadEngine.Tests.Reporting;

/// <summary>The live progress shows a row per step under its scenario and the run's events as they happen.</summary>
public sealed class ProgressPrinterTests
{
    private static RunSummary Live()
    {
        var summary = new RunSummary { Plan = "node-loss" };
        var scenario = new ScenarioSummary { Name = "payment", Ok = 40, Fail = 2 };
        scenario.Steps.Add(new StepSummary { Name = "pay", Ok = 38, Fail = 2, Rps = 9.5, LatencyMs = new LatencySummary { P50 = 12.5, P99 = 80 } });
        scenario.Steps.Add(new StepSummary { Name = "history", Ok = 40, Fail = 0, Rps = 10, LatencyMs = new LatencySummary { P50 = 3, P99 = 9.25 } });
        summary.Scenarios.Add(scenario);
        return summary;
    }

    private static readonly TimeSeriesPoint[] Points = [new TimeSeriesPoint { Scenario = "payment", Rps = 10, P50Ms = 11, P99Ms = 70, Concurrency = 3 }];

    [Fact]
    public void Plain_output_prints_each_event_then_a_line_per_scenario_and_per_step()
    {
        using var output = new StringWriter();
        var printer = new ProgressPrinter.Plain(40, output);

        printer.Update(12, Live(), Points, ["node issuer-2 down"]);
        printer.Update(13, Live(), Points, []);

        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(
        [
            "[00:12/00:40] event: node issuer-2 down",
            "[00:12/00:40] payment: rps=10 ok=40 fail=2 p99=70ms dropped=0 concurrency=3",
            "[00:12/00:40] payment/pay: ok=38 fail=2 p50=12.5ms p99=80ms",
            "[00:12/00:40] payment/history: ok=40 fail=0 p50=3ms p99=9.25ms",
            "[00:13/00:40] payment: rps=10 ok=40 fail=2 p99=70ms dropped=0 concurrency=3",
            "[00:13/00:40] payment/pay: ok=38 fail=2 p50=12.5ms p99=80ms",
            "[00:13/00:40] payment/history: ok=40 fail=0 p50=3ms p99=9.25ms",
        ],
        lines);
    }

    [Fact]
    public void The_live_table_has_step_rows_under_their_scenario_and_the_latest_five_events()
    {
        var events = Enumerable.Range(1, 7).Select(i => ($"00:{i:00}", $"fault f{i}")).ToArray();

        var text = Render(ProgressPrinter.BuildTable("node-loss", "00:12 / 00:40", Live(), Points, events));

        var lines = text.Split('\n');
        var scenarioRow = Array.FindIndex(lines, l => l.Contains("│ payment ", StringComparison.Ordinal));
        Assert.True(scenarioRow > 0, text);
        Assert.Contains("└ pay ", lines[scenarioRow + 1], StringComparison.Ordinal);
        Assert.Contains("80", lines[scenarioRow + 1], StringComparison.Ordinal);
        Assert.Contains("└ history", lines[scenarioRow + 2], StringComparison.Ordinal);
        Assert.DoesNotContain("fault f2", text, StringComparison.Ordinal);
        foreach (var i in new[] { 3, 4, 5, 6, 7 })
        {
            Assert.Contains($"00:{i:00} fault f{i}", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void RunEvents_hand_each_event_to_the_progress_once_and_keep_them_all()
    {
        var events = new RunEvents();
        events.Announce("fault slow");
        events.Announce("fault slow ended");

        Assert.Equal(["fault slow", "fault slow ended"], events.TakeNew());
        Assert.Empty(events.TakeNew());
        Assert.Equal(["fault slow", "fault slow ended"], events.All);
        Assert.Throws<ArgumentException>(() => events.Announce(" "));
    }

    private static string Render(Table table)
    {
        using var writer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(writer), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors, Interactive = InteractionSupport.No });
        console.Profile.Width = 160;
        console.Write(table);
        return writer.ToString();
    }
}
