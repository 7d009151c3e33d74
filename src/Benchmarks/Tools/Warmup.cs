using System.Diagnostics;

namespace PaySim.Benchmarks.Tools;

/// <summary>
/// <c>--warmup</c>: a fixed duration (<c>2s</c>), or <c>stable</c>: one-second windows until two in a row
/// are within 3% of each other (at most <see cref="MaxStable"/>). A user's short CI run lives inside the
/// warm-up, so the clients report how long it took (<see cref="LoadResult.WarmupSeconds"/>).
/// </summary>
internal readonly record struct Warmup(TimeSpan Fixed, bool UntilStable)
{
    public const double Tolerance = 0.03;

    public static readonly TimeSpan Window = TimeSpan.FromSeconds(1);

    public static readonly TimeSpan MaxStable = TimeSpan.FromSeconds(60);

    public const string Usage = "[--warmup 2s|stable]";

    public static Warmup Parse(ToolArguments args, TimeSpan defaultValue) =>
        args.GetString("warmup", "") == "stable"
            ? new Warmup(TimeSpan.Zero, UntilStable: true)
            : new Warmup(args.GetDuration("warmup", defaultValue), UntilStable: false);

    /// <summary>True when the later rate is within <see cref="Tolerance"/> of the earlier one (both above zero).</summary>
    public static bool IsStable(double earlier, double later) =>
        earlier > 0 && later > 0 && Math.Abs(later - earlier) <= Tolerance * Math.Max(earlier, later);

    /// <summary>
    /// Runs <paramref name="window"/> (which loads the target for the given time and returns its rate) until two
    /// consecutive rates are stable or <see cref="MaxStable"/> has passed.
    /// </summary>
    public static async Task<WarmupReport> UntilStableAsync(Func<TimeSpan, Task<double>> window)
    {
        var rates = new List<double>();
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < MaxStable)
        {
            rates.Add(await window(Window));
            if (rates.Count >= 2 && IsStable(rates[^2], rates[^1]))
            {
                return new WarmupReport(clock.Elapsed.TotalSeconds, Stable: true, rates);
            }
        }

        return new WarmupReport(clock.Elapsed.TotalSeconds, Stable: false, rates);
    }
}

/// <summary>How long a stable warm-up took, whether it got there, and the per-window rates on the way.</summary>
internal sealed record WarmupReport(double Seconds, bool Stable, IReadOnlyList<double> Rates);
