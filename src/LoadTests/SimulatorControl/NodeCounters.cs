namespace PaySim.LoadTests.SimulatorControl;

/// <summary>One issuer node's counters (GET /v1/stats): calls and non-OK gRPC replies, per method too.</summary>
internal sealed record NodeCounters(string Name, long Requests, long Errors, IReadOnlyDictionary<string, long> CallsByMethod)
{
    public NodeCounters Minus(NodeCounters? before) => before is null
        ? this
        : new NodeCounters(
            Name,
            Requests - before.Requests,
            Errors - before.Errors,
            CallsByMethod.ToDictionary(kv => kv.Key, kv => kv.Value - before.CallsByMethod.GetValueOrDefault(kv.Key)));
}
