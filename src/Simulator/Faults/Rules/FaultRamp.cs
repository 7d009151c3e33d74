using System.Text.Json;
using PaySim.Contracts.Durations;

namespace PaySim.Simulator.Faults.Rules;

/// <summary>
/// <c>"ramp": { "over": "60s", "from": 0, "of": "probability" | "latency" }</c>: from the rule's
/// start, the probability (or the sampled latency) rises linearly from <c>from</c>×its value to
/// its full value over <c>over</c>: a brownout. <c>of</c> defaults to latency for latency and
/// smsDelay rules, probability otherwise.
/// </summary>
internal sealed class FaultRamp
{
    private static readonly string[] Fields = ["over", "from", "of"];

    public FaultRamp(TimeSpan over, double from, FaultRampTarget target)
    {
        Over = over;
        From = from;
        Target = target;
    }

    public TimeSpan Over { get; }

    public double From { get; }

    public FaultRampTarget Target { get; }

    /// <summary>The multiplier <paramref name="sinceStart"/> after the rule's start: From → 1.</summary>
    public double Factor(TimeSpan sinceStart)
    {
        if (sinceStart >= Over)
        {
            return 1.0;
        }

        var progress = sinceStart <= TimeSpan.Zero ? 0.0 : (double)sinceStart.Ticks / Over.Ticks;
        return From + ((1.0 - From) * progress);
    }

    internal static FaultRamp? Read(JsonElement value, string path, IFaultKind kind, FaultRuleErrors errors)
    {
        if (!FaultJson.CheckObject(value, path, Fields, errors))
        {
            return null;
        }

        var before = errors.Count;
        var over = FaultJson.ReadDuration(value, "over", path, errors, FaultDefaults.MaxSchedule, positive: true);
        if (over is null && !FaultJson.TryGet(value, "over", out _))
        {
            errors.Add(FaultJson.Join(path, "over"), $"is required: {HumanDuration.Allowed}");
        }

        var from = FaultJson.ReadNumber(value, "from", path, errors, 0, 1) ?? 0;
        var latencyKind = kind.Flags.HasFlag(FaultKindFlags.Delay);
        var target = latencyKind ? FaultRampTarget.Latency : FaultRampTarget.Probability;
        var of = FaultJson.ReadString(value, "of", path, errors);
        if (of is not null)
        {
            if (of == "probability")
            {
                target = FaultRampTarget.Probability;
            }
            else if (of == "latency" && latencyKind)
            {
                target = FaultRampTarget.Latency;
            }
            else
            {
                errors.Add(FaultJson.Join(path, "of"), $"\"{of}\" is not allowed for a {kind.Name} rule; allowed: {(latencyKind ? "probability, latency" : "probability")}");
            }
        }

        return errors.Count == before && over is { } o ? new FaultRamp(o, from, target) : null;
    }
}
