using System.Globalization;
using Spectre.Console;

namespace PaySim.LoadEngine.Reporting;

/// <summary>Once-a-second progress: a Spectre table on a terminal, one plain line per scenario otherwise.</summary>
internal abstract class ProgressPrinter
{
    public static ProgressPrinter Create(bool? show, double? plannedSeconds)
    {
        if (show == false)
        {
            return new Silent();
        }

        var ci = string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
        return Console.IsOutputRedirected || ci ? new Plain(plannedSeconds) : new Live(plannedSeconds);
    }

    public abstract void Update(double elapsedS, RunSummary live, IReadOnlyList<TimeSeriesPoint> points);

    public virtual void Complete()
    {
    }

    protected static string Clock(double seconds) => TimeSpan.FromSeconds(Math.Max(0, seconds)).ToString(@"mm\:ss", CultureInfo.InvariantCulture);

    protected static string Total(double? planned) => planned is { } p ? Clock(p) : "?";

    private sealed class Silent : ProgressPrinter
    {
        public override void Update(double elapsedS, RunSummary live, IReadOnlyList<TimeSeriesPoint> points)
        {
        }
    }

    private sealed class Plain(double? planned) : ProgressPrinter
    {
        public override void Update(double elapsedS, RunSummary live, IReadOnlyList<TimeSeriesPoint> points)
        {
            foreach (var s in live.Scenarios)
            {
                var p = points.FirstOrDefault(x => x.Scenario == s.Name);
                Console.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"[{Clock(elapsedS)}/{Total(planned)}] {s.Name}: rps={p?.Rps ?? 0:0.#} ok={s.Ok} fail={s.Fail} p99={p?.P99Ms ?? 0:0.##}ms dropped={s.Dropped} concurrency={p?.Concurrency ?? 0}"));
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

        public override void Update(double elapsedS, RunSummary live, IReadOnlyList<TimeSeriesPoint> points)
        {
            var table = new Table().Border(TableBorder.Rounded)
                .Title($"[bold]{Markup.Escape(live.Plan)}[/] {Clock(elapsedS)} / {Total(_planned)}");
            table.AddColumns("scenario", "rps", "ok", "fail", "p50 ms", "p99 ms", "dropped", "concurrency");
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
            }

            _latest = table;
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
