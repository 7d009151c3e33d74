namespace PaySim.Simulator.Ledger;

internal readonly record struct HoldRequest(
    string Pan,
    long AmountMinor,
    long DailyLimitMinor,
    string MerchantId,
    string OrderReference,
    string IdempotencyKey,
    DateOnly Day,
    // The token the PAN was resolved from: a shared ledger that cached the resolution re-checks it in the hold.
    string? CardToken = null,
    // Kept with the hold for the ledger read (GET /v1/ledger): the node that approved it, and when.
    string Node = "",
    long CreatedUnixMs = 0);
