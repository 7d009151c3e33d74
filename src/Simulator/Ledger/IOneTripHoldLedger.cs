namespace PaySim.Simulator.Ledger;

/// <summary>
/// A ledger in a store across the network (Redis) whose Authorize is one round trip: the hold (token
/// re-check, balance, daily limit) runs without blocking a thread, and with an idempotency key the
/// claim, the hold and the stored reply are one atomic step instead of claim, hold, complete.
/// The in-memory ledger does not need it: <see cref="Issuer.IssuerEngine"/> falls back to <see cref="ILedger.Hold"/>.
/// </summary>
internal interface IOneTripHoldLedger
{
    /// <summary>What <see cref="ILedger.Hold"/> does, awaited instead of blocking.</summary>
    Task<HoldResult> HoldAsync(HoldRequest request);

    /// <summary>
    /// The hold under idempotency key <see cref="HoldRequest.IdempotencyKey"/> in <paramref name="scope"/>, as
    /// <see cref="Idempotency.IIdempotencyStore.Run{T}"/> would run it, in one step: a key used with another
    /// fingerprint is refused, a key done before replays its stored reply (JSON), a free key (or one whose
    /// owner's lease expired) holds and stores the reply <paramref name="replies"/> makes of the hold, so every
    /// other reader of the key (in any process) replays it. A key another caller is still running is
    /// <see cref="KeyedHoldState.Pending"/>: nothing moved, the caller waits for it the ordinary way.
    /// </summary>
    Task<KeyedHold> HoldOnceAsync(HoldRequest request, string scope, string fingerprint, HoldReplies replies);
}

internal enum KeyedHoldState
{
    Held,
    Replayed,
    KeyReused,
    Pending,
}

/// <param name="Hold">The hold made by this call (<see cref="KeyedHoldState.Held"/>).</param>
/// <param name="ReplayJson">The reply stored by the first call (<see cref="KeyedHoldState.Replayed"/>).</param>
internal readonly record struct KeyedHold(KeyedHoldState State, HoldResult Hold, string? ReplayJson);

/// <summary>
/// The JSON reply stored under an idempotency key for each hold outcome, exactly as the idempotency store
/// serializes the caller's reply, cut before its last two values: the stored text is
/// <c>Head + authorizationId + MiddleAndBalance(balance)</c>. Built once by the caller (it knows its reply type).
/// </summary>
internal sealed class HoldReplies(string approved, string insufficientFunds, string overLimit, string invalidAmount, string unknown)
{
    /// <summary>What every head is followed by: the authorization id (empty for a decline), this, the balance, and "}".</summary>
    public const string Middle = "\",\"AvailableBalanceMinor\":";

    public string Approved { get; } = approved;
    public string InsufficientFunds { get; } = insufficientFunds;
    public string OverLimit { get; } = overLimit;
    public string InvalidAmount { get; } = invalidAmount;

    /// <summary>The unknown account or cleared token (balance 0, no id).</summary>
    public string Unknown { get; } = unknown;
}
