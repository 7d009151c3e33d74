using System.Diagnostics.CodeAnalysis;
using PaySim.Simulator.Faults.Kinds.Capacity;
using PaySim.Simulator.Faults.Kinds.Corrupt;
using PaySim.Simulator.Faults.Kinds.Decline;
using PaySim.Simulator.Faults.Kinds.Error;
using PaySim.Simulator.Faults.Kinds.Flap;
using PaySim.Simulator.Faults.Kinds.Hang;
using PaySim.Simulator.Faults.Kinds.Latency;
using PaySim.Simulator.Faults.Kinds.NotServing;
using PaySim.Simulator.Faults.Kinds.Outage;
using PaySim.Simulator.Faults.Kinds.RateLimit;
using PaySim.Simulator.Faults.Kinds.Reset;
using PaySim.Simulator.Faults.Kinds.SlowReply;
using PaySim.Simulator.Faults.Kinds.SmsAfterExpiry;
using PaySim.Simulator.Faults.Kinds.SmsDelay;
using PaySim.Simulator.Faults.Kinds.SmsDrop;
using PaySim.Simulator.Faults.Kinds.SmsDuplicate;
using PaySim.Simulator.Faults.Kinds.SmsReorder;

namespace PaySim.Simulator.Faults.Kinds;

/// <summary>
/// The one list of fault kinds. A rule names exactly one of them; the parser, the engine, the stats
/// and the docs test go through this list, so adding a kind is its folder plus one line here
/// (CONTRIBUTING.md). The order is the order of the names in error messages.
/// </summary>
internal static class FaultKindCatalog
{
    public static IReadOnlyList<IFaultKind> All { get; } =
    [
        LatencyKind.Instance,
        ErrorKind.Instance,
        DeclineKind.Instance,
        HangKind.Instance,
        ResetKind.Instance,
        OutageKind.Instance,
        NotServingKind.Instance,
        FlapKind.Instance,
        CapacityKind.Instance,
        RateLimitKind.Instance,
        SmsDelayKind.Instance,
        SmsDropKind.Instance,
        SmsDuplicateKind.Instance,
        SmsReorderKind.Instance,
        SmsAfterExpiryKind.Instance,
        CorruptKind.Instance,
        SlowReplyKind.Instance,
    ];

    /// <summary>The rule fields that select a kind, in catalog order.</summary>
    public static IReadOnlyList<string> Names { get; } = All.Select(k => k.Name).ToArray();

    public static bool TryFind(string name, [NotNullWhen(true)] out IFaultKind? kind)
    {
        foreach (var candidate in All)
        {
            if (string.Equals(candidate.Name, name, StringComparison.Ordinal))
            {
                kind = candidate;
                return true;
            }
        }

        kind = null;
        return false;
    }
}
