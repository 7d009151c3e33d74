using PaySim.LoadEngine;

namespace PaySim.LoadTests.Claims;

/// <summary>
/// Finds the knee of a stepped-rate run: each constant-rate phase is judged by the capacity objectives
/// over its seconds (the first second of a step is a transition and skipped; so is a second in which the generator
/// itself was late, <see cref="GeneratorLag"/>; for latencies the worst second is forgiven as one blip); the knee is
/// the rate of the last judged step that meets them all before the first judged one that does not. A step with only
/// late seconds is not judged and neither raises nor lowers the knee.
/// </summary>
internal static class CapacityAnalysis
{
    public static (IReadOnlyList<CapacityStep> Steps, double? KneeRps, bool Reached) Analyse(
        IReadOnlyList<LoadSimulation> phases, IReadOnlyList<TimeSeriesPoint> points, IReadOnlyList<Expression> objectives)
    {
        var steps = new List<CapacityStep>();
        var late = GeneratorLag.LateSeconds(points);
        double t = 0;
        foreach (var phase in phases)
        {
            var start = t;
            t += phase.During.TotalSeconds;
            if (!phase.IsOpen || phase.RatePerSecond <= 0)
            {
                continue;
            }

            var served = points.Where(p => p.Second - 1 >= start + 1 && p.Second <= t && p.Requests > 0).ToArray();
            if (served.Length == 0)
            {
                steps.Add(new CapacityStep(phase.RatePerSecond, start, t, null, null, 0, false));
                continue;
            }

            var seconds = served.Where(p => !late.Contains(p.Second)).ToArray();
            var lateSeconds = served.Length - seconds.Length;
            if (seconds.Length == 0)
            {
                steps.Add(new CapacityStep(phase.RatePerSecond, start, t, null, null, served.Average(s => s.Rps), null, lateSeconds));
                continue;
            }

            var requests = seconds.Sum(s => s.Requests);
            var okRate = requests == 0 ? (double?)null : (double)seconds.Sum(s => s.Ok) / requests;
            var p99 = Forgiving(seconds.Select(s => s.P99Ms));
            var p50 = Forgiving(seconds.Select(s => s.P50Ms));
            var rps = seconds.Average(s => s.Rps);
            var pass = objectives.All(o => o.Evaluate(metric => metric switch
            {
                "p99" => p99,
                "p50" => p50,
                "ok_rate" => okRate,
                "fail_rate" => 1 - okRate,
                "rps" => rps,
                _ => null,
            }).Pass);
            steps.Add(new CapacityStep(phase.RatePerSecond, start, t, p99, okRate, rps, pass, lateSeconds));
        }

        var judged = steps.Where(s => s.Pass is not null).ToList();
        if (judged.Count == 0)
        {
            return (steps, null, false);
        }

        var firstFail = judged.FindIndex(s => s.Pass == false);
        return firstFail switch
        {
            < 0 => (steps, judged[^1].RatePerSecond, false),
            0 => (steps, 0, true),
            _ => (steps, judged[firstFail - 1].RatePerSecond, true),
        };
    }

    /// <summary>The second-worst value (the worst when there is only one).</summary>
    private static double Forgiving(IEnumerable<double> values)
    {
        var sorted = values.OrderByDescending(v => v).ToArray();
        return sorted.Length > 1 ? sorted[1] : sorted[0];
    }
}
