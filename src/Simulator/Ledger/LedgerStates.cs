namespace PaySim.Simulator.Ledger;

/// <summary>The state names of a ledger row (GET /v1/ledger, LedgerEntry.state).</summary>
internal static class LedgerStates
{
    public const string Held = "held";
    public const string Captured = "captured";
    public const string Released = "released";
    public const string Refunded = "refunded";
    public const string PartiallyRefunded = "partially_refunded";

    /// <summary>What moved last wins: a refund over a capture, a capture over a release of the rest.</summary>
    public static string Of(long captured, long released, long refunded) =>
        refunded > 0 ? (refunded >= captured ? Refunded : PartiallyRefunded)
        : captured > 0 ? Captured
        : released > 0 ? Released
        : Held;
}
