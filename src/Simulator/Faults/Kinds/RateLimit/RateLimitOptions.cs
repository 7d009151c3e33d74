using System.Text.Json;

namespace PaySim.Simulator.Faults.Kinds.RateLimit;

/// <summary>
/// <c>"rateLimit": { "perSecond": 50, "burst": 10 }</c>: a token bucket per node (shared by the
/// rule's methods); a call that finds it empty fails with RESOURCE_EXHAUSTED and a
/// <c>grpc-retry-pushback-ms</c> saying when the next token arrives.
/// </summary>
public sealed class RateLimitOptions
{
    private static readonly string[] Fields = ["perSecond", "burst"];

    public RateLimitOptions(double perSecond, int? burst = null)
    {
        PerSecond = perSecond;
        Burst = burst ?? Math.Max(1, (int)Math.Ceiling(perSecond));
    }

    public double PerSecond { get; }

    /// <summary>Bucket size: calls that may pass at once after a quiet period. Defaults to one second's worth.</summary>
    public int Burst { get; }

    internal static RateLimitOptions? Read(JsonElement value, string path, FaultRuleErrors errors)
    {
        if (!FaultJson.CheckObject(value, path, Fields, errors))
        {
            return null;
        }

        var perSecond = FaultJson.ReadNumber(value, "perSecond", path, errors, 0.001, 1_000_000);
        var burst = FaultJson.ReadInteger(value, "burst", path, errors, 1, 1_000_000);
        if (perSecond is null && !FaultJson.TryGet(value, "perSecond", out _))
        {
            errors.Add(FaultJson.Join(path, "perSecond"), "is required: a number between 0.001 and 1000000");
        }

        return perSecond is { } rate && (burst is not null || !FaultJson.TryGet(value, "burst", out _))
            ? new RateLimitOptions(rate, burst is { } b ? (int)b : null)
            : null;
    }
}
