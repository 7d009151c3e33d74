using System.Globalization;

namespace PaySim.LoadEngine;

/// <summary>
/// One phase of a scenario's load. Closed phases (<see cref="KeepConstant"/>, <see cref="RampingConstant"/>,
/// <see cref="Iterations"/>) set a number of copies that loop as fast as the target answers; open phases
/// (<see cref="Inject"/>, <see cref="RampingInject"/>, <see cref="InjectRandom"/>) start iterations at
/// scheduled times whatever the target does. <see cref="Pause"/> fits both. Phases run in order;
/// a scenario must be all-open or all-closed.
/// </summary>
public sealed record LoadSimulation
{
    private LoadSimulation(LoadSimulationKind kind)
    {
        Kind = kind;
    }

    public LoadSimulationKind Kind { get; private init; }

    /// <summary>Copies for closed phases (target copies for a ramp).</summary>
    public int Copies { get; private init; }

    /// <summary>Iterations per <see cref="Interval"/> for open phases (target rate for a ramp; minimum for random).</summary>
    public double Rate { get; private init; }

    /// <summary>Maximum rate per interval for <see cref="InjectRandom"/>.</summary>
    public double MaxRate { get; private init; }

    public TimeSpan Interval { get; private init; }

    public TimeSpan During { get; private init; }

    /// <summary>Total iterations for <see cref="Iterations"/>, shared by all copies.</summary>
    public long IterationCount { get; private init; }

    public bool IsOpen => Kind is LoadSimulationKind.Inject or LoadSimulationKind.RampingInject or LoadSimulationKind.InjectRandom;

    public bool IsClosed => Kind is LoadSimulationKind.KeepConstant or LoadSimulationKind.RampingConstant or LoadSimulationKind.Iterations;

    /// <summary>Rate per second (Rate / Interval seconds).</summary>
    public double RatePerSecond => Interval > TimeSpan.Zero ? Rate / Interval.TotalSeconds : 0;

    public double MaxRatePerSecond => Interval > TimeSpan.Zero ? MaxRate / Interval.TotalSeconds : 0;

    /// <summary>Closed: keeps <paramref name="copies"/> copies looping for <paramref name="during"/>.</summary>
    public static LoadSimulation KeepConstant(int copies, TimeSpan during) =>
        new(LoadSimulationKind.KeepConstant) { Copies = copies, During = during };

    /// <summary>Closed: moves linearly from the previous phase's copies (0 at the start) to <paramref name="copies"/>.</summary>
    public static LoadSimulation RampingConstant(int copies, TimeSpan during) =>
        new(LoadSimulationKind.RampingConstant) { Copies = copies, During = during };

    /// <summary>Closed: <paramref name="copies"/> copies share exactly <paramref name="count"/> iterations, then the phase ends.</summary>
    public static LoadSimulation Iterations(int copies, long count) =>
        new(LoadSimulationKind.Iterations) { Copies = copies, IterationCount = count };

    /// <summary>Open: <paramref name="rate"/> iterations per <paramref name="interval"/> (fractions allowed), evenly spaced.</summary>
    public static LoadSimulation Inject(double rate, TimeSpan interval, TimeSpan during) =>
        new(LoadSimulationKind.Inject) { Rate = rate, Interval = interval, During = during };

    /// <summary>Open: rate moves linearly from the previous phase's rate (0 at the start) to <paramref name="rate"/>.</summary>
    public static LoadSimulation RampingInject(double rate, TimeSpan interval, TimeSpan during) =>
        new(LoadSimulationKind.RampingInject) { Rate = rate, Interval = interval, During = during };

    /// <summary>Open: every <paramref name="interval"/> a new rate is drawn uniformly from [min, max] (seeded by the runner).</summary>
    public static LoadSimulation InjectRandom(double minRate, double maxRate, TimeSpan interval, TimeSpan during) =>
        new(LoadSimulationKind.InjectRandom) { Rate = minRate, MaxRate = maxRate, Interval = interval, During = during };

    /// <summary>Nothing starts for <paramref name="during"/>.</summary>
    public static LoadSimulation Pause(TimeSpan during) =>
        new(LoadSimulationKind.Pause) { During = during };

    /// <summary>The same phase with rates and copies multiplied (used for weighted shared load).</summary>
    public LoadSimulation Scale(double factor) => this with
    {
        Rate = Rate * factor,
        MaxRate = MaxRate * factor,
        Copies = (int)Math.Round(Copies * factor, MidpointRounding.AwayFromZero),
    };

    public override string ToString() => Kind switch
    {
        LoadSimulationKind.KeepConstant => $"KeepConstant(copies: {Copies}, during: {During})",
        LoadSimulationKind.RampingConstant => $"RampingConstant(copies: {Copies}, during: {During})",
        LoadSimulationKind.Iterations => $"Iterations(copies: {Copies}, count: {IterationCount})",
        LoadSimulationKind.Inject => $"Inject(rate: {Fmt(Rate)}, interval: {Interval}, during: {During})",
        LoadSimulationKind.RampingInject => $"RampingInject(rate: {Fmt(Rate)}, interval: {Interval}, during: {During})",
        LoadSimulationKind.InjectRandom => $"InjectRandom(min: {Fmt(Rate)}, max: {Fmt(MaxRate)}, interval: {Interval}, during: {During})",
        _ => $"Pause(during: {During})",
    };

    internal void Validate(string scenario, int index)
    {
        var where = $"scenario \"{scenario}\" load simulation #{index + 1} ({Kind})";
        if (Kind != LoadSimulationKind.Iterations && During <= TimeSpan.Zero)
        {
            throw new LoadConfigException($"{where}: 'during' must be > 0, got {During}.");
        }

        if (IsClosed && Copies < 0 || Kind == LoadSimulationKind.Iterations && Copies < 1)
        {
            throw new LoadConfigException($"{where}: 'copies' must be >= {(Kind == LoadSimulationKind.Iterations ? 1 : 0)}, got {Copies}.");
        }

        if (Kind == LoadSimulationKind.Iterations && IterationCount < 0)
        {
            throw new LoadConfigException($"{where}: 'count' must be >= 0, got {IterationCount}.");
        }

        if (IsOpen)
        {
            if (Interval <= TimeSpan.Zero)
            {
                throw new LoadConfigException($"{where}: 'interval' must be > 0, got {Interval}.");
            }

            if (!double.IsFinite(Rate) || Rate < 0)
            {
                throw new LoadConfigException($"{where}: 'rate' must be a finite number >= 0, got {Fmt(Rate)}.");
            }

            if (Kind == LoadSimulationKind.InjectRandom && (!double.IsFinite(MaxRate) || MaxRate < Rate))
            {
                throw new LoadConfigException($"{where}: 'maxRate' must be >= minRate ({Fmt(Rate)}), got {Fmt(MaxRate)}.");
            }
        }
    }

    private static string Fmt(double v) => v.ToString("0.###", CultureInfo.InvariantCulture);
}
