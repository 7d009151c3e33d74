using System.Text.Json;
using PaySim.Contracts.Durations;

namespace PaySim.Simulator.Faults.Kinds.Latency;

/// <summary>
/// A delay distribution: <c>fixed</c>, <c>uniform</c> (min..max) or <c>lognormal</c> given its
/// median and p99 (how people describe a slow service) and capped by <c>max</c>. Used by
/// <c>latency</c> rules and by <c>smsDelay</c>.
/// </summary>
public sealed class LatencyDistribution
{
    // z such that Φ(z) = 0.99: turns "p99" into the lognormal's sigma.
    private const double Z99 = 2.3263478740408408;

    private static readonly string[] Shapes = ["fixed", "uniform", "lognormal"];
    private static readonly string[] UniformFields = ["min", "max"];
    private static readonly string[] LogNormalFields = ["median", "p99", "max"];

    private readonly double _mu;
    private readonly double _sigma;

    private LatencyDistribution(LatencyShape shape, TimeSpan min, TimeSpan max, TimeSpan median, TimeSpan p99)
    {
        Shape = shape;
        Min = min;
        Max = max;
        Median = median;
        P99 = p99;
        if (shape == LatencyShape.LogNormal)
        {
            _mu = Math.Log(median.Ticks);
            _sigma = (Math.Log(p99.Ticks) - _mu) / Z99;
        }
    }

    public LatencyShape Shape { get; }

    /// <summary>The fixed delay, or the lower bound of a uniform one.</summary>
    public TimeSpan Min { get; }

    /// <summary>The upper bound (uniform) or the cap (lognormal; <see cref="TimeSpan.MaxValue"/> when uncapped).</summary>
    public TimeSpan Max { get; }

    public TimeSpan Median { get; }

    public TimeSpan P99 { get; }

    public static LatencyDistribution Fixed(TimeSpan delay) => new(LatencyShape.Fixed, delay, delay, delay, delay);

    public static LatencyDistribution Uniform(TimeSpan min, TimeSpan max) =>
        new(LatencyShape.Uniform, min, max, TimeSpan.FromTicks((min.Ticks + max.Ticks) / 2), max);

    public static LatencyDistribution LogNormal(TimeSpan median, TimeSpan p99, TimeSpan? max = null) =>
        new(LatencyShape.LogNormal, TimeSpan.Zero, max ?? TimeSpan.MaxValue, median, p99);

    /// <summary>Maps two independent uniform draws in [0, 1) to a delay; no allocation, no shared state.</summary>
    public TimeSpan Sample(double u1, double u2)
    {
        switch (Shape)
        {
            case LatencyShape.Fixed:
                return Min;
            case LatencyShape.Uniform:
                return TimeSpan.FromTicks(Min.Ticks + (long)((Max.Ticks - Min.Ticks) * u1));
            default:
                // Box–Muller; 1 - u keeps the logarithm's argument in (0, 1].
                var z = Math.Sqrt(-2.0 * Math.Log(1.0 - u1)) * Math.Cos(2.0 * Math.PI * u2);
                // Without a max the tail still stops at the longest delay a rule may add: a far
                // draw must delay the call, not overflow the timer and fail it.
                var ticks = Math.Exp(_mu + (_sigma * z));
                var cap = Max < FaultDefaults.MaxDelay ? Max : FaultDefaults.MaxDelay;
                return ticks >= cap.Ticks ? cap : TimeSpan.FromTicks((long)ticks);
        }
    }

    /// <summary>The delay for one firing: its own draws, scaled by the rule's ramp.</summary>
    internal TimeSpan Sample(in FaultFiring firing) =>
        firing.Scaled(Shape == LatencyShape.Fixed ? Min : Sample(firing.Draw(FaultDraw.PurposeSample1), firing.Draw(FaultDraw.PurposeSample2)));

    public override string ToString() =>
        Shape switch
        {
            LatencyShape.Fixed => $"fixed {HumanDuration.Format(Min)}",
            LatencyShape.Uniform => $"uniform {HumanDuration.Format(Min)}..{HumanDuration.Format(Max)}",
            _ => $"lognormal median {HumanDuration.Format(Median)} p99 {HumanDuration.Format(P99)}"
                 + (Max == TimeSpan.MaxValue ? string.Empty : $" max {HumanDuration.Format(Max)}"),
        };

    /// <summary>
    /// Reads <c>"50ms"</c>, <c>{"fixed":"50ms"}</c>, <c>{"uniform":{"min","max"}}</c> or
    /// <c>{"lognormal":{"median","p99","max"}}</c>.
    /// </summary>
    internal static LatencyDistribution? Read(JsonElement value, string path, FaultRuleErrors errors)
    {
        if (value.ValueKind == JsonValueKind.String)
        {
            var delay = FaultJson.ReadDuration(value, path, errors, FaultDefaults.MaxDelay);
            return delay is { } d ? Fixed(d) : null;
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            // A string is read above: "must be a JSON object" alone would hide the duration form.
            errors.Add(path, $"must be a duration or a JSON object with one of {string.Join(", ", Shapes)}, got {FaultJson.Describe(value)}");
            return null;
        }

        if (!FaultJson.CheckObject(value, path, Shapes, errors))
        {
            return null;
        }

        var count = 0;
        foreach (var _ in value.EnumerateObject())
        {
            count++;
        }

        if (count != 1)
        {
            errors.Add(path, $"needs exactly one of: {string.Join(", ", Shapes)}");
            return null;
        }

        if (FaultJson.TryGet(value, "fixed", out var fixedValue))
        {
            var delay = FaultJson.ReadDuration(fixedValue, FaultJson.Join(path, "fixed"), errors, FaultDefaults.MaxDelay);
            return delay is { } d ? Fixed(d) : null;
        }

        if (FaultJson.TryGet(value, "uniform", out var uniform))
        {
            var uniformPath = FaultJson.Join(path, "uniform");
            if (!FaultJson.CheckObject(uniform, uniformPath, UniformFields, errors))
            {
                return null;
            }

            var min = FaultJson.ReadDuration(uniform, "min", uniformPath, errors, FaultDefaults.MaxDelay) ?? TimeSpan.Zero;
            var max = FaultJson.ReadDuration(uniform, "max", uniformPath, errors, FaultDefaults.MaxDelay);
            if (max is null)
            {
                if (!FaultJson.TryGet(uniform, "max", out _))
                {
                    errors.Add(FaultJson.Join(uniformPath, "max"), "is required");
                }

                return null;
            }

            if (max.Value < min)
            {
                errors.Add(FaultJson.Join(uniformPath, "max"), $"{HumanDuration.Format(max.Value)} is less than min {HumanDuration.Format(min)}");
                return null;
            }

            return Uniform(min, max.Value);
        }

        if (FaultJson.TryGet(value, "lognormal", out var logNormal))
        {
            var logPath = FaultJson.Join(path, "lognormal");
            if (!FaultJson.CheckObject(logNormal, logPath, LogNormalFields, errors))
            {
                return null;
            }

            var median = FaultJson.ReadDuration(logNormal, "median", logPath, errors, FaultDefaults.MaxDelay, positive: true);
            var p99 = FaultJson.ReadDuration(logNormal, "p99", logPath, errors, FaultDefaults.MaxDelay, positive: true);
            var max = FaultJson.ReadDuration(logNormal, "max", logPath, errors, FaultDefaults.MaxDelay, positive: true);
            var ok = true;
            foreach (var (name, read) in new[] { ("median", median), ("p99", p99) })
            {
                if (read is null && !FaultJson.TryGet(logNormal, name, out _))
                {
                    errors.Add(FaultJson.Join(logPath, name), "is required");
                    ok = false;
                }
            }

            if (!ok || median is null || p99 is null)
            {
                return null;
            }

            if (p99.Value < median.Value)
            {
                errors.Add(FaultJson.Join(logPath, "p99"), $"{HumanDuration.Format(p99.Value)} is less than median {HumanDuration.Format(median.Value)}");
                return null;
            }

            if (max is { } cap && cap < median.Value)
            {
                errors.Add(FaultJson.Join(logPath, "max"), $"{HumanDuration.Format(cap)} is less than median {HumanDuration.Format(median.Value)}");
                return null;
            }

            return LogNormal(median.Value, p99.Value, max);
        }

        return null;
    }
}
