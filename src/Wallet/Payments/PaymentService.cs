using System.Text.RegularExpressions;
using PaySim.Wallet.Accounts;
using PaySim.Wallet.Configuration;
using PaySim.Wallet.Defects;
using PaySim.Wallet.Errors;
using PaySim.Wallet.Integration;
using PaySim.Wallet.Observability;
using PaySim.Wallet.Storage;

namespace PaySim.Wallet.Payments;

/// <summary>
/// Pay = Authorize then Capture; refund = Refund. A completed payment is replayed to any retry with the same
/// Idempotency-Key. What happens to a failed first attempt depends on the integration: the resilient one keeps
/// the reservation and resumes it with the same issuer keys; the naive one keeps nothing, so a retry is a new charge.
/// </summary>
internal sealed partial class PaymentService(
    PaymentStore payments,
    CardStore cards,
    NotificationStore notifications,
    AccountService accounts,
    IIssuerIntegration issuer,
    AbandonedPayments abandoned,
    RefundRunner refunds,
    WalletMetrics metrics,
    WalletOptions options)
{
    public const long MaxAmountMinor = 1_000_000_000_000;
    private const int MaxKeyLength = 128;
    private readonly TimeProvider _time = options.TimeProvider;

    // Planted defects (docs/wallet.md, "Planted defects"): each read once here, all false unless a load-test self-test asks.
    private readonly bool _ignoreIdempotencyKey = WalletDefects.IsOn(options.Defects, WalletDefects.IgnoreIdempotencyKey);
    private readonly bool _swallowErrors = WalletDefects.IsOn(options.Defects, WalletDefects.SwallowErrors);
    private readonly bool _misreadApproval = WalletDefects.IsOn(options.Defects, WalletDefects.MisreadApproval);
    private readonly bool _recordAfterAuthorize = WalletDefects.IsOn(options.Defects, WalletDefects.CrashUnsafe);

    [GeneratedRegex(@"^[A-Z]{3}$")]
    private static partial Regex CurrencyPattern();

    public async Task<PaymentResult> PayAsync(string userId, string? idempotencyKey, PaymentInput input, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(idempotencyKey) || idempotencyKey.Length > MaxKeyLength)
        {
            throw new WalletException(new WalletError(422, ErrorCodes.IdempotencyKeyMissing,
                $"Send an Idempotency-Key header (1 to {MaxKeyLength} characters) so a retried payment is not charged twice."));
        }

        Require(input.Amount is > 0 and <= MaxAmountMinor, $"amount must be a whole number of minor units between 1 and {MaxAmountMinor}");
        Require(input.Currency is not null && CurrencyPattern().IsMatch(input.Currency), "currency must be a 3-letter ISO 4217 code in capitals (e.g. CNY)");
        Require(!string.IsNullOrWhiteSpace(input.Merchant) && input.Merchant.Length <= 64, "merchant must be 1 to 64 characters");
        Require(!string.IsNullOrWhiteSpace(input.OrderReference) && input.OrderReference.Length <= 64, "orderReference must be 1 to 64 characters");
        if (options.RequirePaymentPin)
        {
            Require(input.Pin is not null, "pin (the 6-digit payment PIN) is required");
            await accounts.VerifyPinAsync(userId, input.Pin, ct);
        }

        var card = await cards.GetCardAsync(userId, input.CardId, ct)
            ?? throw new WalletException(new WalletError(input.CardId is null ? 422 : 404, ErrorCodes.CardNotFound,
                input.CardId is null ? "Bind a card first (POST /cards/bind)." : $"No card '{input.CardId}' for this user."));

        var amount = input.Amount!.Value;
        if (_ignoreIdempotencyKey)
        {
            // Defect ignore-idempotency-key: the header is accepted but never looked up; each request is stored (and sent
            // to the issuer) under a key of its own, so a client's retry is a new payment.
            idempotencyKey += "#" + Guid.NewGuid().ToString("N");
        }

        var existing = await payments.FindByKeyAsync(userId, idempotencyKey, ct);
        PaymentRecord payment;
        if (existing is not null)
        {
            var replay = Replay(existing, card.Id, amount, input);
            if (replay is not null)
            {
                return replay;
            }

            // Only a failed or pending payment of a resilient integration gets here: resume it under the same
            // issuer keys if it failed or if it has been pending longer than a live attempt can take.
            var resumedAt = Now();
            if (!await payments.TryResumeAsync(existing.Id, resumedAt, StaleBefore(), ct))
            {
                return Replay(await payments.FindByKeyAsync(userId, idempotencyKey, ct) ?? existing, card.Id, amount, input)
                    ?? throw InProgress();
            }

            payment = existing with { Status = PaymentStatus.Pending, UpdatedAtMs = resumedAt };
        }
        else
        {
            var createdAt = Now();
            payment = new PaymentRecord("p_" + Guid.NewGuid().ToString("N"), userId, idempotencyKey, card.Id, amount, input.Currency!, input.Merchant!.Trim(),
                input.OrderReference!.Trim(), PaymentStatus.Pending, null, null, null, null, 0, createdAt, createdAt);
            if (issuer.RemembersFailedPayments && _recordAfterAuthorize)
            {
                return await ExecuteRecordingLateAsync(payment, card, ct);
            }

            if (issuer.RemembersFailedPayments && !await payments.TryInsertAsync(payment, ct))
            {
                var winner = await payments.FindByKeyAsync(userId, idempotencyKey, ct);
                return (winner is null ? null : Replay(winner, card.Id, amount, input)) ?? throw InProgress();
            }
        }

        return await ExecuteAsync(payment, card, ct);
    }

    /// <summary>
    /// Defect crash-unsafe: the payment row is written only once Authorize has returned (or thrown), so a process that dies
    /// while Authorize is in flight leaves a hold at the issuer that no row, retry or recovery pass knows of.
    /// </summary>
    private async Task<PaymentResult> ExecuteRecordingLateAsync(PaymentRecord payment, CardRecord card, CancellationToken ct)
    {
        var recorded = false;
        return await ExecuteAsync(payment, card, ct, afterAuthorize: async () =>
        {
            if (!recorded)
            {
                recorded = true;
                if (!await payments.TryInsertAsync(payment, CancellationToken.None))
                {
                    throw InProgress();
                }
            }
        });
    }

    public async Task<RefundResult> RefundAsync(string userId, string paymentId, string? idempotencyKey, long? amount, CancellationToken ct)
    {
        if (idempotencyKey is { Length: > MaxKeyLength })
        {
            throw WalletException.Invalid($"Idempotency-Key must have at most {MaxKeyLength} characters");
        }

        var payment = await payments.GetAsync(paymentId, ct);
        if (payment is null || payment.UserId != userId)
        {
            throw new WalletException(new WalletError(404, ErrorCodes.PaymentNotFound, $"No payment '{paymentId}' for this user."));
        }

        var key = string.IsNullOrWhiteSpace(idempotencyKey) ? "auto-" + Guid.NewGuid().ToString("N") : idempotencyKey;
        if (await payments.FindRefundAsync(paymentId, key, ct) is { } previous)
        {
            return await RetryRefundAsync(previous, payment, amount, ct);
        }

        if (payment.Status != PaymentStatus.Completed || payment.AuthorizationId is null)
        {
            throw new WalletException(new WalletError(409, ErrorCodes.PaymentNotRefundable, $"Payment '{paymentId}' is {payment.Status}; only completed payments can be refunded."));
        }

        var refundAmount = amount ?? payment.AmountMinor - payment.RefundedMinor;
        Require(refundAmount > 0, "amount must be a positive number of minor units (or omitted to refund the rest)");
        if (!await payments.TryReserveRefundAsync(paymentId, refundAmount, Now(), ct))
        {
            throw new WalletException(new WalletError(409, ErrorCodes.RefundExceedsPayment,
                $"Refunding {refundAmount} would exceed what is left of the payment ({payment.AmountMinor - payment.RefundedMinor})."));
        }

        var refund = new RefundRecord("r_" + Guid.NewGuid().ToString("N"), paymentId, userId, key, refundAmount, PaymentStatus.Pending, null, Now());
        if (!await payments.TryInsertRefundAsync(refund, ct))
        {
            await payments.ReleaseRefundAsync(paymentId, refundAmount, Now(), ct);
            throw InProgress();
        }

        return await RunRefundAsync(refund, payment, ct);
    }

    /// <summary>
    /// A refund key seen before: the same amount (or none) replays a completed refund, and takes over a failed one or
    /// one left pending past the stale window (its process died) under the same issuer key; another amount is 409.
    /// </summary>
    private async Task<RefundResult> RetryRefundAsync(RefundRecord previous, PaymentRecord payment, long? amount, CancellationToken ct)
    {
        if (amount is { } asked && asked != previous.AmountMinor)
        {
            throw new WalletException(new WalletError(409, ErrorCodes.IdempotencyKeyReused,
                $"This Idempotency-Key was used for a refund of {previous.AmountMinor}, not {asked}."));
        }

        if (previous.Status == PaymentStatus.Completed)
        {
            return new RefundResult(previous, payment, true);
        }

        var resumable = previous.Status == PaymentStatus.Failed || previous.UpdatedAtMs < StaleBefore();
        if (!resumable || !await payments.TryClaimRefundAsync(previous, Now(), ct))
        {
            throw InProgress();
        }

        return await RunRefundAsync(previous with { Status = PaymentStatus.Pending }, payment, ct);
    }

    private async Task<RefundResult> RunRefundAsync(RefundRecord refund, PaymentRecord payment, CancellationToken ct)
    {
        var (completed, failure) = await refunds.RunAsync(refund, payment, ct);
        if (completed is null)
        {
            throw new WalletException(failure!);
        }

        return new RefundResult(completed, await payments.GetAsync(payment.Id, ct) ?? payment, false);
    }

    /// <summary>
    /// Runs the issuer calls of a payment this request reserved. Its outcome is written only while the row is still
    /// as this request left it (<see cref="PaymentRecord.UpdatedAtMs"/> is its lease): a process that stalled past the
    /// stale window finds the payment taken over, and answers with what the new owner made of it.
    /// </summary>
    private async Task<PaymentResult> ExecuteAsync(PaymentRecord payment, CardRecord card, CancellationToken ct, Func<Task>? afterAuthorize = null)
    {
        var session = issuer.OpenSession();
        string? authorizationId = null;
        WalletError failure;
        bool final;
        try
        {
            PaySim.Contracts.Issuer.V1.AuthorizeReply auth;
            try
            {
                auth = await session.AuthorizeAsync(PaymentRequests.Authorize(payment, card), ct);
            }
            finally
            {
                if (afterAuthorize is not null)
                {
                    await afterAuthorize();
                }
            }

            // Defect misread-approval: the response-code check has the wrong entry for 00, so an approval reads as a decline
            // (and its hold is never captured nor released).
            if (auth.ResponseCode == "00" && !_misreadApproval)
            {
                authorizationId = auth.AuthorizationId;
                var capture = await session.CaptureAsync(PaymentRequests.Capture(payment, auth.AuthorizationId), ct);
                if (capture.ResponseCode == "00")
                {
                    return await CompleteAsync(payment, auth.AuthorizationId, ct);
                }

                failure = IssuerErrorMapper.FromDecline(capture.ResponseCode, capture.DeclineReason, capture.Message, capture.Node);
            }
            else if (auth.ResponseCode == "00")
            {
                failure = new WalletError(402, ErrorCodes.Declined, "The bank declined the request (code 00).") { IssuerCode = auth.ResponseCode, Node = string.IsNullOrEmpty(auth.Node) ? null : auth.Node };
            }
            else
            {
                failure = IssuerErrorMapper.FromDecline(auth.ResponseCode, auth.DeclineReason, auth.Message, auth.Node);
            }

            // A decline is the issuer's final word on this request; issuer trouble may pass.
            final = failure.Status is not (502 or 503 or 504);
        }
        catch (Exception e) when (IssuerErrorMapper.FromException(e) is { } error)
        {
            failure = error;
            final = false;
        }

        catch (Exception) when (issuer.RemembersFailedPayments)
        {
            // Cancelled or broken mid-way: leave the key resumable rather than pending forever.
            await payments.SetOutcomeAsync(payment.Id, PaymentStatus.Failed, authorizationId, ErrorCodes.InternalError,
                "The payment was interrupted; retry with the same Idempotency-Key.", 500, Now(), CancellationToken.None, lease: payment.UpdatedAtMs);
            throw;
        }

        if (_swallowErrors && !final && authorizationId is null)
        {
            // Defect swallow-errors: Authorize failed or got no answer, and the wallet reports success anyway.
            return await CompleteAsync(payment, string.Empty, ct);
        }

        var now = Now();
        if (issuer.RemembersFailedPayments)
        {
            // Declined after an approved Authorize: the hold will never be captured, so it is released now (marked
            // first, so the recovery pass finishes the release if the issuer cannot be reached for it).
            var release = final && authorizationId is not null;
            if (!await payments.SetOutcomeAsync(payment.Id, final ? PaymentStatus.Declined : PaymentStatus.Failed, authorizationId,
                failure.Code, failure.Message, failure.Status, now, CancellationToken.None, releasePending: release, lease: payment.UpdatedAtMs))
            {
                return await TakenOverAsync(payment);
            }

            if (release)
            {
                await abandoned.ReleaseDeclinedAsync(payment, authorizationId!, CancellationToken.None);
            }
        }

        await notifications.AddAsync(payment.UserId, issuer.RemembersFailedPayments ? payment.Id : null, final ? "payment_declined" : "payment_failed",
            $"Payment of {MoneyText.Of(payment.AmountMinor, payment.Currency)} to {payment.Merchant} (order {payment.OrderReference}) failed: {failure.Message}", now, CancellationToken.None);
        metrics.Payment(failure.Code);
        throw new WalletException(failure);
    }

    private async Task<PaymentResult> CompleteAsync(PaymentRecord payment, string authorizationId, CancellationToken ct)
    {
        var now = Now();
        var completed = payment with { Status = PaymentStatus.Completed, AuthorizationId = authorizationId, ErrorCode = null, ErrorMessage = null, ErrorStatus = null };
        if (issuer.RemembersFailedPayments)
        {
            if (!await payments.SetOutcomeAsync(payment.Id, PaymentStatus.Completed, authorizationId, null, null, null, now, CancellationToken.None, lease: payment.UpdatedAtMs))
            {
                return await TakenOverAsync(payment);
            }
        }
        else if (!await payments.TryInsertAsync(completed, CancellationToken.None))
        {
            // Two naive requests with one key raced and both charged; the first stored wins the replay.
            var first = await payments.FindByKeyAsync(payment.UserId, payment.IdempotencyKey, ct);
            return new PaymentResult(first ?? completed, true);
        }

        await notifications.AddAsync(payment.UserId, payment.Id, "payment_completed",
            $"Paid {MoneyText.Of(payment.AmountMinor, payment.Currency)} to {payment.Merchant} (order {payment.OrderReference}).", now, CancellationToken.None);
        metrics.Payment("completed");
        return new PaymentResult(completed, false);
    }

    // Another request or the recovery pass owns the payment now: answer with what it has made of it so far.
    private async Task<PaymentResult> TakenOverAsync(PaymentRecord payment) =>
        Stored(await payments.GetAsync(payment.Id, CancellationToken.None) ?? payment) ?? throw InProgress();

    /// <summary>The stored answer for a retry, or null when the stored payment failed and may be resumed.</summary>
    private PaymentResult? Replay(PaymentRecord existing, string cardId, long amount, PaymentInput input)
    {
        if (!existing.SameRequest(cardId, amount, input.Currency!, input.Merchant!.Trim(), input.OrderReference!.Trim()))
        {
            throw new WalletException(new WalletError(409, ErrorCodes.IdempotencyKeyReused,
                "This Idempotency-Key was used for a different payment (card, amount, currency, merchant or orderReference differ)."));
        }

        return Stored(existing);
    }

    private PaymentResult? Stored(PaymentRecord existing)
    {
        switch (existing.Status)
        {
            case PaymentStatus.Completed:
                metrics.Payment("replayed");
                return new PaymentResult(existing, true);
            case PaymentStatus.Declined or PaymentStatus.Voided or PaymentStatus.Reversed:
                // Final: declined by the issuer, or settled by the recovery pass after nobody finished it.
                throw new WalletException(new WalletError(existing.ErrorStatus ?? 402, existing.ErrorCode ?? ErrorCodes.Declined, existing.ErrorMessage ?? "The payment was declined."));
            default:
                // Failed or pending: not an answer yet. The caller resumes it if it may (failed, or pending past
                // its lease) and otherwise says it is in progress.
                return null;
        }
    }

    private static WalletException InProgress() =>
        new(new WalletError(409, ErrorCodes.PaymentInProgress, "A request with this Idempotency-Key is still being processed; retry in a moment.") { RetryAfterMs = 500 });

    private long Now() => _time.GetUtcNow().ToUnixTimeMilliseconds();

    // Unwritten since before this, a pending payment or refund has no live process behind it (see StaleWindow).
    private long StaleBefore() => Now() - (long)StaleWindow.Of(options).TotalMilliseconds;

    private static void Require(bool ok, string message)
    {
        if (!ok)
        {
            throw WalletException.Invalid(message);
        }
    }
}
