using System.Text.Json;

namespace PaySim.Simulator.Faults.Kinds.Capacity;

/// <summary>
/// <c>"capacity": { "maxConcurrent": 8 }</c>: the node serves at most K matching calls at once;
/// the rest wait in a queue, so latency grows with load as it does on a saturated issuer.
/// </summary>
public sealed class CapacityOptions
{
    private static readonly string[] Fields = ["maxConcurrent"];

    public CapacityOptions(int maxConcurrent)
    {
        MaxConcurrent = maxConcurrent;
    }

    public int MaxConcurrent { get; }

    internal static CapacityOptions? Read(JsonElement value, string path, FaultRuleErrors errors)
    {
        if (!FaultJson.CheckObject(value, path, Fields, errors))
        {
            return null;
        }

        var max = FaultJson.ReadInteger(value, "maxConcurrent", path, errors, 1, FaultDefaults.MaxConcurrentLimit);
        if (max is null && !FaultJson.TryGet(value, "maxConcurrent", out _))
        {
            errors.Add(FaultJson.Join(path, "maxConcurrent"), $"is required: a whole number between 1 and {FaultDefaults.MaxConcurrentLimit}");
        }

        return max is { } m ? new CapacityOptions((int)m) : null;
    }
}
