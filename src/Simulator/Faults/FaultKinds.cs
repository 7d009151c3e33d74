namespace PaySim.Simulator.Faults;

/// <summary>The JSON names of the fault kinds and what each kind implies for the decision path.</summary>
internal static class FaultKinds
{
    // Indexed by (int)FaultKind; the JSON field that selects the kind is the same name.
    private static readonly string[] Names =
    [
        "latency", "error", "decline", "hang", "reset", "outage", "notServing", "flap",
        "capacity", "rateLimit", "smsDelay", "smsDrop", "smsDuplicate", "smsReorder", "smsAfterExpiry",
    ];

    public const int Count = 15;

    public static IReadOnlyList<string> All => Names;

    public static string Name(this FaultKind kind) => Names[(int)kind];

    public static bool TryParse(string name, out FaultKind kind)
    {
        for (var i = 0; i < Names.Length; i++)
        {
            if (string.Equals(Names[i], name, StringComparison.Ordinal))
            {
                kind = (FaultKind)i;
                return true;
            }
        }

        kind = default;
        return false;
    }

    /// <summary>Error, decline, hang, reset and outage end a call; the first one in rule order wins.</summary>
    public static bool IsTerminal(this FaultKind kind) =>
        kind is FaultKind.Error or FaultKind.Decline or FaultKind.Hang or FaultKind.Reset
            or FaultKind.Outage or FaultKind.Flap or FaultKind.RateLimit;

    /// <summary>Kinds that describe a whole node over time rather than one call.</summary>
    public static bool IsNodeState(this FaultKind kind) =>
        kind is FaultKind.Outage or FaultKind.NotServing or FaultKind.Flap;

    public static bool IsSms(this FaultKind kind) => kind >= FaultKind.SmsDelay;

    /// <summary>Kinds for which probability, times and ramp make no sense (they describe a limit or a state).</summary>
    public static bool IsDeterministic(this FaultKind kind) =>
        kind is FaultKind.Outage or FaultKind.NotServing or FaultKind.Flap or FaultKind.Capacity or FaultKind.RateLimit;
}
