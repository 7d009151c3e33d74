namespace PaySim.LoadTests.SimulatorControl;

/// <summary>
/// One authorization in the issuer's ledger (<c>GET /v1/ledger</c>, protos/control.proto LedgerEntry) with what became
/// of it: amounts in minor units; <see cref="State"/> is held, captured, released, refunded or partially_refunded.
/// </summary>
internal sealed record LedgerRow(
    long Sequence,
    string AuthorizationId,
    string Pan,
    string MerchantId,
    string OrderReference,
    string IdempotencyKey,
    long AuthorizedMinor,
    long CapturedMinor,
    long ReleasedMinor,
    long RefundedMinor,
    string State,
    string Node,
    long CreatedUnixMs)
{
    public const string Held = "held";

    /// <summary>Money the hold still keeps from the cardholder: authorized, neither captured nor released.</summary>
    public long HeldMinor => State == Held ? Math.Max(0, AuthorizedMinor - CapturedMinor - ReleasedMinor) : 0;

    /// <summary>What the issuer took and kept: captured less refunded, plus what it still holds.</summary>
    public long TakenMinor => Math.Max(0, CapturedMinor - RefundedMinor) + HeldMinor;
}
