namespace PaySim.Simulator.Ledger;

/// <summary>One authorization as the issuer sees it now: what was held, and what became of it.</summary>
internal sealed record LedgerRow(
    long Sequence,
    string AuthorizationId,
    string Pan,
    string CardToken,
    string MerchantId,
    string OrderReference,
    string IdempotencyKey,
    long AuthorizedMinor,
    long CapturedMinor,
    long ReleasedMinor,
    long RefundedMinor,
    string Node,
    long CreatedUnixMs)
{
    public string State => LedgerStates.Of(CapturedMinor, ReleasedMinor, RefundedMinor);
}
