using PaySim.Contracts.Control.V1;

namespace PaySim.LoadTests.Reconciliation;

/// <summary>What an issuer ledger row (protos/control.proto LedgerEntry) means in money for reconciliation.</summary>
internal static class LedgerMoney
{
    public const string Held = "held";

    /// <summary>Money the hold still keeps from the cardholder: authorized, neither captured nor released.</summary>
    public static long HeldMinor(this LedgerEntry e) => e.State == Held ? Math.Max(0, e.AuthorizedMinor - e.CapturedMinor - e.ReleasedMinor) : 0;

    /// <summary>What the issuer took and kept: captured less refunded, plus what it still holds.</summary>
    public static long TakenMinor(this LedgerEntry e) => Math.Max(0, e.CapturedMinor - e.RefundedMinor) + e.HeldMinor();
}
