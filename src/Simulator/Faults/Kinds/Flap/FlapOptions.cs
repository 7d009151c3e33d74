using System.Text.Json;
using PaySim.Contracts.Durations;

namespace PaySim.Simulator.Faults.Kinds.Flap;

/// <summary>
/// <c>"flap": { "period": "10s", "downFor": "3s" }</c>: while active, the node is down for the first
/// <c>downFor</c> of every <c>period</c> (counted from the rule's start), up for the rest.
/// </summary>
public sealed class FlapOptions
{
    private static readonly string[] Fields = ["period", "downFor"];

    public FlapOptions(TimeSpan period, TimeSpan downFor)
    {
        Period = period;
        DownFor = downFor;
    }

    public TimeSpan Period { get; }

    public TimeSpan DownFor { get; }

    /// <summary>Whether the node is down <paramref name="sinceStart"/> after the rule started.</summary>
    public bool IsDown(TimeSpan sinceStart) =>
        sinceStart >= TimeSpan.Zero && sinceStart.Ticks % Period.Ticks < DownFor.Ticks;

    internal static FlapOptions? Read(JsonElement value, string path, FaultRuleErrors errors)
    {
        if (!FaultJson.CheckObject(value, path, Fields, errors))
        {
            return null;
        }

        var period = FaultJson.ReadDuration(value, "period", path, errors, FaultDefaults.MaxSchedule, positive: true);
        var downFor = FaultJson.ReadDuration(value, "downFor", path, errors, FaultDefaults.MaxSchedule, positive: true);
        if (period is null && !FaultJson.TryGet(value, "period", out _))
        {
            errors.Add(FaultJson.Join(path, "period"), $"is required: {HumanDuration.Allowed}");
        }

        if (downFor is null && !FaultJson.TryGet(value, "downFor", out _))
        {
            errors.Add(FaultJson.Join(path, "downFor"), $"is required: {HumanDuration.Allowed}");
        }

        if (period is null || downFor is null)
        {
            return null;
        }

        if (downFor.Value >= period.Value)
        {
            errors.Add(FaultJson.Join(path, "downFor"), $"{HumanDuration.Format(downFor.Value)} must be shorter than period {HumanDuration.Format(period.Value)}; use outage for a node that stays down");
            return null;
        }

        return new FlapOptions(period.Value, downFor.Value);
    }
}
