using Microsoft.Extensions.Time.Testing;
using PaySim.Simulator.Faults;
using PaySim.Simulator.Faults.Engine;
using PaySim.Simulator.Faults.Rules;

namespace PaySim.Simulator.Tests.Faults;

/// <summary>An engine on a fake clock with three issuer nodes and an SMS node, as most tests want it.</summary>
internal static class FaultTestEngine
{
    public static FaultEngine Create(FakeTimeProvider? time = null, ulong seed = 7, bool headers = true, int journal = 0, int? maxActiveFaults = null, string? headerToken = null) =>
        new(new FaultEngineOptions
        {
            Seed = seed,
            HeaderOverrides = headers,
            HeaderToken = headerToken,
            JournalCapacity = journal,
            MaxActiveFaults = maxActiveFaults,
            Context = FaultRuleContext.ForIssuers(3),
            TimeProvider = time ?? new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero)),
        });

    public static FaultDecision Decide(this FaultEngine engine, string node, string method, Grpc.Core.Metadata? headers = null) =>
        engine.Decide(new FaultRequest(node, method, headers));
}
