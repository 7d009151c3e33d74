namespace PaySim.Simulator.Ledger;

internal readonly record struct HoldRequest(
    string Pan,
    long AmountMinor,
    long DailyLimitMinor,
    string MerchantId,
    string OrderReference,
    string IdempotencyKey,
    DateOnly Day);
