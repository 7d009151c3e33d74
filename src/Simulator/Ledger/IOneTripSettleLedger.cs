namespace PaySim.Simulator.Ledger;

/// <summary>
/// A ledger in a store across the network (Redis) whose Capture, Void and Refund under an idempotency key are one
/// round trip: the claim of the key, the fingerprint check, the money moved and the stored reply are one atomic step
/// instead of the idempotency store's claim, operation, complete. Each is what
/// <see cref="Idempotency.IIdempotencyStore.Run{T}"/> would do around <see cref="ILedger.Capture"/> (<see cref="ILedger.Void"/>,
/// <see cref="ILedger.Refund"/>) in <paramref name="scope"/>: a key used with another fingerprint is refused, a key done before
/// replays its stored reply (JSON), a free key (or one whose owner's lease expired) moves the money and stores the reply
/// <paramref name="replies"/> makes of it, so every other reader of the key (in any process) replays it. A key another caller
/// is still running is <see cref="KeyedHoldState.Pending"/>: nothing moved, the caller waits for it the ordinary way.
/// The in-memory ledger does not need it: <see cref="Issuer.IssuerEngine"/> falls back to the idempotency store.
/// </summary>
internal interface IOneTripSettleLedger
{
    KeyedSettle<CaptureResult> CaptureOnce(string authorizationId, long amountMinor, string scope, string idempotencyKey, string fingerprint, SettleReplies replies);

    KeyedSettle<VoidResult> VoidOnce(string authorizationId, string scope, string idempotencyKey, string fingerprint, SettleReplies replies);

    KeyedSettle<RefundResult> RefundOnce(string authorizationId, long amountMinor, string scope, string idempotencyKey, string fingerprint, SettleReplies replies);
}

/// <param name="State"><see cref="KeyedHoldState.Held"/>: this call ran the operation (moved money or declined), <see cref="Result"/> is its own.</param>
/// <param name="Result">What the ledger answered to this call (<see cref="KeyedHoldState.Held"/>).</param>
/// <param name="ReplayJson">The reply stored by the first call (<see cref="KeyedHoldState.Replayed"/>).</param>
internal readonly record struct KeyedSettle<T>(KeyedHoldState State, T Result, string? ReplayJson);

/// <summary>
/// The JSON reply stored under an idempotency key for each outcome of a capture, void or refund, exactly as the idempotency
/// store serializes the caller's reply, cut before its amount: the stored text is
/// <c>Head + amount + Tail(refund id)</c>. Built once by the caller (it knows its reply types); an outcome the operation
/// cannot have (a void's invalid amount, a capture's "already captured") is null.
/// </summary>
internal sealed class SettleReplies(string approved, string? invalidAmount, string? alreadyCaptured, string unknown, bool withRefundId)
{
    /// <summary>After the amount of a reply without a refund id.</summary>
    public const string End = "}";

    /// <summary>After the amount of a refund's reply: the refund id (empty unless approved) follows it, then <see cref="RefundIdEnd"/>.</summary>
    public const string RefundIdMiddle = ",\"RefundId\":\"";

    public const string RefundIdEnd = "\"}";

    public string Approved { get; } = approved;
    public string? InvalidAmount { get; } = invalidAmount;
    public string? AlreadyCaptured { get; } = alreadyCaptured;

    /// <summary>The unknown authorization (amount 0).</summary>
    public string Unknown { get; } = unknown;

    /// <summary>Whether the reply ends with the refund id (Refund) or with its amount (Capture, Void).</summary>
    public bool WithRefundId { get; } = withRefundId;

    /// <summary>What follows the amount in a stored reply.</summary>
    public string Tail(string refundId) => WithRefundId ? RefundIdMiddle + refundId + RefundIdEnd : End;
}
