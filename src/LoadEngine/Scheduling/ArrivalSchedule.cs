namespace PaySim.LoadEngine.Scheduling;

/// <summary>
/// Intended start times of an open-model scenario. The rate r(t) is piecewise linear; the k-th
/// iteration starts where the cumulative count Λ(t) = ∫r reaches k, so fractional rates are exact
/// over any horizon (0.5/s gives one start every 2 s; 1234.5/s gives exactly 740,700 in 10 minutes)
/// and nothing accumulates rounding error. The first iteration starts at t = 0.
/// </summary>
internal sealed class ArrivalSchedule
{
    // Λ is a sum of doubles; a count boundary that is exact in theory may land a hair above.
    private const double Epsilon = 1e-7;

    private readonly Segment[] _segments;
    private int _cursor;

    private ArrivalSchedule(Segment[] segments)
    {
        _segments = segments;
        TotalSeconds = segments.Length == 0 ? 0 : segments[^1].End;
        ExpectedCount = segments.Length == 0 ? 0 : segments[^1].CumulativeEnd;
    }

    public double TotalSeconds { get; }

    /// <summary>Λ at the end: the number of iterations is ceil(Λ) (minus boundary effects).</summary>
    public double ExpectedCount { get; }

    public static ArrivalSchedule Build(IReadOnlyList<LoadSimulation> simulations, int seed)
    {
        var random = new Random(seed);
        var segments = new List<Segment>();
        double t = 0, cumulative = 0, previousRate = 0;

        void Add(double duration, double r0, double r1)
        {
            var end = t + duration;
            var cumulativeEnd = cumulative + (r0 + r1) / 2 * duration;
            segments.Add(new Segment(t, end, r0, r1, cumulative, cumulativeEnd));
            t = end;
            cumulative = cumulativeEnd;
            previousRate = r1;
        }

        foreach (var sim in simulations)
        {
            var during = sim.During.TotalSeconds;
            switch (sim.Kind)
            {
                case LoadSimulationKind.Inject:
                    Add(during, sim.RatePerSecond, sim.RatePerSecond);
                    break;
                case LoadSimulationKind.RampingInject:
                    Add(during, previousRate, sim.RatePerSecond);
                    break;
                case LoadSimulationKind.InjectRandom:
                    var interval = sim.Interval.TotalSeconds;
                    for (var left = during; left > 1e-12; left -= interval)
                    {
                        var r = sim.RatePerSecond + random.NextDouble() * (sim.MaxRatePerSecond - sim.RatePerSecond);
                        Add(Math.Min(interval, left), r, r);
                    }

                    break;
                default:
                    Add(during, 0, 0);
                    break;
            }
        }

        return new ArrivalSchedule([.. segments]);
    }

    /// <summary>Seconds from the scenario start at which iteration <paramref name="k"/> is due; k must not decrease between calls.</summary>
    public bool TryGetArrival(long k, out double seconds)
    {
        while (_cursor < _segments.Length && k >= _segments[_cursor].CumulativeEnd - Epsilon)
        {
            _cursor++;
        }

        if (_cursor >= _segments.Length)
        {
            seconds = TotalSeconds;
            return false;
        }

        var s = _segments[_cursor];
        var x = Math.Max(0, k - s.CumulativeStart);
        var duration = s.End - s.Start;
        var a = (s.RateEnd - s.RateStart) / (2 * duration);
        var b = s.RateStart;

        // Solves a·τ² + b·τ = x in the form that stays stable when a is 0 or negative.
        var disc = Math.Max(0, b * b + 4 * a * x);
        var denominator = b + Math.Sqrt(disc);
        var tau = denominator > 0 ? 2 * x / denominator : 0;
        seconds = s.Start + Math.Min(tau, duration);
        return true;
    }

    /// <summary>Λ(t): the iterations due by <paramref name="seconds"/> from the scenario start (0 before it, <see cref="ExpectedCount"/> after the end).</summary>
    public double CumulativeAt(double seconds)
    {
        if (_segments.Length == 0 || seconds <= 0)
        {
            return 0;
        }

        foreach (var s in _segments)
        {
            if (seconds < s.End)
            {
                var tau = seconds - s.Start;
                var slope = (s.RateEnd - s.RateStart) / (s.End - s.Start);
                return s.CumulativeStart + (s.RateStart * tau) + (slope * tau * tau / 2);
            }
        }

        return ExpectedCount;
    }

    /// <summary>Counts every arrival (for tests and planning); does not disturb this instance.</summary>
    public static long CountArrivals(IReadOnlyList<LoadSimulation> simulations, int seed)
    {
        var schedule = Build(simulations, seed);
        long k = 0;
        while (schedule.TryGetArrival(k, out _))
        {
            k++;
        }

        return k;
    }

    private readonly record struct Segment(double Start, double End, double RateStart, double RateEnd, double CumulativeStart, double CumulativeEnd);
}
