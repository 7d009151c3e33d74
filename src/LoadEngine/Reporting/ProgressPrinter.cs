using System.Globalization;
using Spectre.Console;

namespace PaySim.LoadEngine.Reporting;

/// <summary>
/// Once-a-second progress, NBomber-style: on a terminal a Spectre table with a row per scenario and one per
/// step under it, and the latest run events (faults starting and ending) below; otherwise plain lines, one
/// per scenario, one per step, one per event as it happens.
/// </summary>
internal abstract class ProgressPrinter
{
    /// <summary>How many of the latest events the live table keeps under it.</summary>
    public const int LiveEvents = 5;

    public static ProgressPrinter Create(bool? show, double? plannedSeconds)
    {
        if (show == false)
        {
            return new Silent();
        }

        var ci = string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
        return Console.IsOutputRedirected || ci ? new Plain(plannedSeconds, Console.Out) : new Live(plannedSeconds);
    }

    public abstract void Update(double elapsedS, RunSummary live, IReadOnlyList<TimeSeriesPoint> points, IReadOnlyList<string> events);

    /// <summary>The live table: a row per scenario, a row per step under it ("  └ pay"), then the events.</summary>
    public static Table BuildTable(string plan, string clock, RunSummary live, IReadOnlyList<TimeSeriesPoint> points, IReadOnlyList<(string Clock, string Text)> events)
    {
        var table = new Table().Border(TableBorder.Rounded).Title($"[bold]{Markup.Escape(plan)}[/] {clock}");
        table.AddColumns("scenario / step", "rps", "ok", "fail", "p50 ms", "p99 ms", "dropped", "concurrency");
        foreach (var s in live.Scenarios)
        {
            var p = points.FirstOrDefault(x => x.Scenario == s.Name);
            table.AddRow(
                Markup.Escape(s.Name),
                (p?.Rps ?? 0).ToString("0.#", CultureInfo.InvariantCulture),
                s.Ok.ToString(CultureInfo.InvariantCulture),
                s.Fail == 0 ? "0" : $"[red]{s.Fail}[/]",
                (p?.P50Ms ?? 0).ToString("0.##", CultureInfo.InvariantCulture),
                (p?.P99Ms ?? 0).ToString("0.##", CultureInfo.InvariantCulture),
                s.Dropped == 0 ? "0" : $"[yellow]{s.Dropped}[/]",
                (p?.Concurrency ?? 0).ToString(CultureInfo.InvariantCulture));
            foreach (var step in s.Steps)
            {
                // Step latencies are over the run so far (the per-second figures are per scenario).
                table.AddRow(
                    $"  └ {Markup.Escape(step.Name)}",
                    step.Rps.ToString("0.#", CultureInfo.InvariantCulture),
                    step.Ok.ToString(CultureInfo.InvariantCulture),
                    step.Fail == 0 ? "0" : $"[red]{step.Fail}[/]",
                    step.LatencyMs.P50.ToString("0.##", CultureInfo.InvariantCulture),
                    step.LatencyMs.P99.ToString("0.##", CultureInfo.InvariantCulture),
                    "",
                    "");
            }
        }

        if (events.Count > 0)
        {
            table.Caption(string.Join("\n", events.TakeLast(LiveEvents).Select(e => $"[yellow]{e.Clock}[/] {Markup.Escape(e.Text)}")));
        }

        return table;
    }

    public virtual void Complete()
    {
    }

    protected static string Clock(double seconds) => TimeSpan.FromSeconds(Math.Max(0, seconds)).ToString(@"mm\:ss", CultureInfo.InvariantCulture);

    protected static string Total(double? planned) => planned is { } p ? Clock(p) : "?";

    private sealed class Silent : ProgressPrinter
    {
        public override void Update(double elapsedS, RunSummary live, IReadOnlyList<TimeSeriesPoint> points, IReadOnlyList<string> events)
        {
        }
    }

    internal sealed class Plain(double? planned, TextWriter output) : ProgressPrinter
    {
        public override void Update(double elapsedS, RunSummary live, IReadOnlyList<TimeSeriesPoint> points, IReadOnlyList<string> events)
        {
            var at = $"[{Clock(elapsedS)}/{Total(planned)}]";
            foreach (var e in events)
            {
                output.WriteLine($"{at} event: {e}");
            }

            foreach (var s in live.Scenarios)
            {
                var p = points.FirstOrDefault(x => x.Scenario == s.Name);
                output.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"{at} {s.Name}: rps={p?.Rps ?? 0:0.#} ok={s.Ok} fail={s.Fail} p99={p?.P99Ms ?? 0:0.##}ms dropped={s.Dropped} concurrency={p?.Concurrency ?? 0}"));
                foreach (var step in s.Steps)
                {
                    output.WriteLine(string.Create(
                        CultureInfo.InvariantCulture,
                        $"{at} {s.Name}/{step.Name}: ok={step.Ok} fail={step.Fail} p50={step.LatencyMs.P50:0.##}ms p99={step.LatencyMs.P99:0.##}ms"));
                }
            }
        }
    }

    private sealed class Live : ProgressPrinter
    {
        private readonly double? _planned;
        private readonly SemaphoreSlim _signal = new(0);
        private readonly Task _display;
        private volatile Table _latest;
        private volatile bool _done;
        private readonly List<(string Clock, string Text)> _events = [];

        public Live(double? planned)
        {
            _planned = planned;
            _latest = new Table().AddColumn("starting…");

            // Spectre's live display owns the console from inside a callback, so it runs on its own
            // task and is fed the newest table once a second.
            _display = AnsiConsole.Live(_latest).StartAsync(async ctx =>
            {
                while (!_done)
                {
                    await _signal.WaitAsync().ConfigureAwait(false);
                    ctx.UpdateTarget(_latest);
                    ctx.Refresh();
                }
            });
        }

        public override void Update(double elapsedS, RunSummary live, IReadOnlyList<TimeSeriesPoint> points, IReadOnlyList<string> events)
        {
            foreach (var e in events)
            {
                _events.Add((Clock(elapsedS), e));
            }

            _latest = BuildTable(live.Plan, $"{Clock(elapsedS)} / {Total(_planned)}", live, points, _events);
            _signal.Release();
        }

        public override void Complete()
        {
            _done = true;
            _signal.Release();
            try
            {
                _display.Wait(TimeSpan.FromSeconds(2));
            }
            catch (AggregateException)
            {
                // A display failure must not lose the run's results.
            }
        }
    }
}
