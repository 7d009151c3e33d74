using System.Text.RegularExpressions;
using PaySim.Contracts.Issuer.V1;
using PaySim.Wallet.Accounts;
using PaySim.Wallet.Configuration;
using PaySim.Wallet.Defects;
using PaySim.Wallet.Errors;
using PaySim.Wallet.Integration;
using PaySim.Wallet.Observability;
using PaySim.Wallet.Storage;

namespace PaySim.Wallet.Payments;

/// <summary>
/// Pay = Authorize then Capture (with SMS step-up, Authorize answers 1A and AuthenticatePayment holds once the
/// cardholder sends the code); refund = Refund. A completed payment is replayed to any retry with the same
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
    private readonly bool _resendNotWired = WalletDefects.IsOn(options.Defects, WalletDefects.NoOtpResend);
    private readonly bool _lateCaptureFails = WalletDefects.IsOn(options.Defects, WalletDefects.LateCaptureFails);

    /// <summary>Defect late-capture-fails: a Capture reply slower than this is answered as a timeout after the payment completed.</summary>
    public static readonly TimeSpan LateCaptureDeadline = TimeSpan.FromSeconds(1);

    [GeneratedRegex(@"^[A-Z]{3}$")]
    private static partial Regex CurrencyPattern();

    [GeneratedRegex(@"^[0-9]{4,8}$")]
    private static partial Regex OtpPattern();

    public async Task<PaymentResult> PayAsync(string userId, string? idempotencyKey, PaymentInput input, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(idempotencyKey))
        {
            throw new WalletException(new WalletError(422, ErrorCodes.IdempotencyKeyMissing,
                $"Send an Idempotency-Key header (1 to {MaxKeyLength} {TextLength.Unit}) so a retried payment is not charged twice."));
        }

        RequireKeyLength(idempotencyKey);

        Require(input.Amount is > 0 and <= MaxAmountMinor, $"amount must be a whole number of minor units between 1 and {MaxAmountMinor}");
        Require(input.Currency is not null && CurrencyPattern().IsMatch(input.Currency), "currency must be a 3-letter ISO 4217 code in capitals (e.g. CNY)");
        RequireText(FreeText.CheckRequired(input.Merchant, "merchant", 64));
        RequireText(FreeText.CheckRequired(input.OrderReference, "orderReference", 64));
        if (options.RequirePaymentPin)
        {
            Require(input.Pin is not null, "pin (the 6-digit payment PIN) is required");
            await accounts.VerifyPinAsync(userId, input.Pin, ct);
        }

        var amount = input.Amount!.Value;
        if (_ignoreIdempotencyKey)
        {
            // Defect ignore-idempotency-key: the header is accepted but never looked up; each request is stored (and sent
            // to the issuer) under a key of its own, so a client's retry is a new payment.
            idempotencyKey += "#" + Guid.NewGuid().ToString("N");
        }

        // Without cardId a retry means the card its key was first paid with: the default (the most recently bound card)
        // is resolved only for a new key, so a card bound between a payment and its retry does not make it another payment.
        var existing = await payments.FindByKeyAsync(userId, idempotencyKey, ct);
        var cardId = input.CardId ?? existing?.CardId;
        var card = await cards.GetCardAsync(userId, cardId, ct)
            ?? throw new WalletException(new WalletError(cardId is null ? 422 : 404, ErrorCodes.CardNotFound,
                cardId is null ? "Bind a card first (POST /cards/bind)." : $"No card {Echo.Quoted(cardId)} for this user."));

        PaymentRecord payment;
        if (existing is not null)
        {
            var replay = Replay(existing, amount, input);
            if (replay is not null)
            {
                return replay;
            }

            // Only a failed or pending payment of a resilient integration gets here: resume it under the same
            // issuer keys if it failed or if it has been pending longer than a live attempt can take.
            var resumedAt = Now();
            if (!await payments.TryResumeAsync(existing.Id, resumedAt, StaleBefore(), ct))
            {
                return Replay(await payments.FindByKeyAsync(userId, idempotencyKey, ct) ?? existing, amount, input)
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
                return (winner is null ? null : Replay(winner, amount, input)) ?? throw InProgress();
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
        RequireKeyLength(idempotencyKey);

        var payment = await payments.GetAsync(paymentId, ct);
        if (payment is null || payment.UserId != userId)
        {
            throw new WalletException(new WalletError(404, ErrorCodes.PaymentNotFound, $"No payment {Echo.Quoted(paymentId)} for this user."));
        }

        var key = string.IsNullOrWhiteSpace(idempotencyKey) ? "auto-" + Guid.NewGuid().ToString("N") : idempotencyKey;
        if (await payments.FindRefundAsync(paymentId, key, ct) is { } previous)
        {
            return await RetryRefundAsync(previous, payment, amount, ct);
        }

        if (payment.Status != PaymentStatus.Completed || payment.AuthorizationId is null)
        {
            throw new WalletException(new WalletError(409, ErrorCodes.PaymentNotRefundable, $"Payment {Echo.Quoted(paymentId)} is {payment.Status}; only completed payments can be refunded."));
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
    private Task<PaymentResult> ExecuteAsync(PaymentRecord payment, CardRecord card, CancellationToken ct, Func<Task>? afterAuthorize = null) =>
        RunAsync(payment, async session =>
        {
            if (payment.ChallengeId is not null && payment.AuthorizationId is { } held)
            {
                // Authenticated by SMS code before (its capture failed): asking Authorize again would only replay the 1A.
                return IssuerHold.Known(held);
            }

            try
            {
                return IssuerHold.Of(await session.AuthorizeAsync(PaymentRequests.Authorize(payment, card), ct));
            }
            finally
            {
                if (afterAuthorize is not null)
                {
                    await afterAuthorize();
                }
            }
        }, ct);

    /// <summary>
    /// The issuer calls of a reserved payment after <paramref name="hold"/> (Authorize, or AuthenticatePayment for a
    /// step-up): a 1A leaves it waiting for its SMS code, an approval is captured, anything else declines or fails it.
    /// </summary>
    private async Task<PaymentResult> RunAsync(PaymentRecord payment, Func<IIssuerSession, Task<IssuerHold>> hold, CancellationToken ct)
    {
        var session = issuer.OpenSession();
        string? authorizationId = null;
        IssuerHold? stepUp = null;
        WalletError? lateCapture = null;
        WalletError failure;
        bool final;
        try
        {
            var auth = await hold(session);
            if (auth.IsChallenge || auth.IsCodeRefused)
            {
                // Answered below, outside this try: its own answers (409, the code refused) are no interruption.
                stepUp = auth;
                failure = null!;
                final = false;
            }

            // Defect misread-approval: the response-code check has the wrong entry for 00, so an approval reads as a decline
            // (and its hold is never captured nor released).
            else if (auth.ResponseCode == IssuerHold.Approved && !_misreadApproval)
            {
                authorizationId = auth.AuthorizationId;
                var captureStarted = _time.GetTimestamp();
                var capture = await session.CaptureAsync(PaymentRequests.Capture(payment, auth.AuthorizationId), ct);
                if (capture.ResponseCode == "00")
                {
                    var completed = await CompleteAsync(payment, auth.AuthorizationId, ct);
                    if (!_lateCaptureFails || _time.GetElapsedTime(captureStarted) <= LateCaptureDeadline)
                    {
                        return completed;
                    }

                    // Defect late-capture-fails: the capture's deadline is checked after the call, so a slow reply is
                    // answered as a timeout (below) although the card was charged and the payment is stored completed.
                    lateCapture = new WalletError(504, ErrorCodes.IssuerUnavailable, "The card's bank did not answer in time.");
                }

                failure = lateCapture ?? IssuerErrorMapper.FromDecline(capture.ResponseCode, capture.DeclineReason, capture.Message, capture.Node);
            }
            else if (auth.ResponseCode == IssuerHold.Approved)
            {
                failure = new WalletError(402, ErrorCodes.Declined, "The bank declined the request (code 00).") { IssuerCode = auth.ResponseCode, Node = string.IsNullOrEmpty(auth.Node) ? null : auth.Node };
            }
            else
            {
                failure = IssuerErrorMapper.FromDecline(auth.ResponseCode, auth.Reason, auth.Message, auth.Node);
                if (auth.Reason == DeclineReason.OtpAttemptsExceeded)
                {
                    failure = failure with { Message = "Too many wrong SMS codes; the payment is declined. Pay again with a new Idempotency-Key.", AttemptsLeft = 0 };
                }
            }

            // A decline is the issuer's final word on this request; issuer trouble may pass.
            final = stepUp is null && failure.Status is not (502 or 503 or 504);
        }
        catch (Exception e) when (IssuerErrorMapper.FromException(e) is { } error)
        {
            failure = error;
            final = false;
        }

        catch (Exception) when (HasRow(payment))
        {
            // Cancelled or broken mid-way: leave the key resumable rather than pending forever.
            await payments.SetOutcomeAsync(payment.Id, PaymentStatus.Failed, authorizationId, ErrorCodes.InternalError,
                "The payment was interrupted; retry with the same Idempotency-Key.", 500, Now(), CancellationToken.None, lease: payment.UpdatedAtMs);
            throw;
        }

        if (lateCapture is not null)
        {
            metrics.Payment(lateCapture.Code);
            throw new WalletException(lateCapture);
        }

        if (stepUp is not null)
        {
            return stepUp.IsChallenge ? await ChallengeAsync(payment, stepUp) : await CodeRefusedAsync(payment, stepUp);
        }

        if (_swallowErrors && !final && authorizationId is null)
        {
            // Defect swallow-errors: Authorize failed or got no answer, and the wallet reports success anyway.
            return await CompleteAsync(payment, string.Empty, ct);
        }

        var now = Now();
        if (!final && authorizationId is null && payment.ChallengeId is not null)
        {
            // Issuer trouble while authenticating: nothing is known to be held, and the same code may be sent again (the
            // issuer answers a repeated code as it did the first time); recovery asks it once the challenge lapses.
            if (!await payments.SetOutcomeAsync(payment.Id, PaymentStatus.PendingAuthentication, null, null, null, null, now, CancellationToken.None, lease: payment.UpdatedAtMs))
            {
                return await TakenOverAsync(payment);
            }

            metrics.Payment(failure.Code);
            throw new WalletException(failure);
        }

        if (HasRow(payment))
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

        await notifications.AddAsync(payment.UserId, HasRow(payment) ? payment.Id : null, final ? "payment_declined" : "payment_failed",
            $"Payment of {MoneyText.Of(payment.AmountMinor, payment.Currency)} to {payment.Merchant} (order {payment.OrderReference}) failed: {failure.Message}", now, CancellationToken.None);
        metrics.Payment(failure.Code);
        throw new WalletException(failure);
    }

    /// <summary>
    /// 1A: the issuer sent an SMS code to the card's reserved phone and holds nothing until it comes back. The payment
    /// is stored waiting for it (in either integration: the challenge is the issuer's, and a retry must find it).
    /// </summary>
    private async Task<PaymentResult> ChallengeAsync(PaymentRecord payment, IssuerHold auth)
    {
        var now = Now();
        var ttl = Math.Max(auth.OtpTtlSeconds, 0);
        var challenged = payment with
        {
            Status = PaymentStatus.PendingAuthentication,
            ChallengeId = auth.ChallengeId,
            ChallengeMaskedPhone = auth.MaskedPhone,
            ChallengeExpiresAtMs = now + (ttl * 1000L),
            ChallengeTtlSeconds = ttl,
            UpdatedAtMs = now,
        };
        if (issuer.RemembersFailedPayments)
        {
            if (!await payments.SetChallengeAsync(payment.Id, auth.ChallengeId, auth.MaskedPhone, challenged.ChallengeExpiresAtMs!.Value, ttl, now,
                payment.UpdatedAtMs, CancellationToken.None))
            {
                return await TakenOverAsync(payment);
            }
        }
        else if (!await payments.TryInsertAsync(challenged, CancellationToken.None))
        {
            // Two naive requests with one key raced; the issuer answered both with its first challenge.
            var first = await payments.FindByKeyAsync(payment.UserId, payment.IdempotencyKey, CancellationToken.None);
            return (first is null ? null : Stored(first)) ?? throw InProgress();
        }

        await notifications.AddAsync(payment.UserId, payment.Id, "payment_authentication_required",
            $"Payment of {MoneyText.Of(payment.AmountMinor, payment.Currency)} to {payment.Merchant} (order {payment.OrderReference}) needs the SMS code sent to {auth.MaskedPhone}.",
            now, CancellationToken.None);
        metrics.Payment("challenged");
        return new PaymentResult(challenged, false);
    }

    // A wrong or lapsed SMS code: the payment waits for the next code (or a resend) as before.
    private async Task<PaymentResult> CodeRefusedAsync(PaymentRecord payment, IssuerHold auth)
    {
        var error = auth.Reason == DeclineReason.OtpWrong
            ? new WalletError(402, ErrorCodes.OtpWrong, $"The SMS code is wrong; {auth.AttemptsLeft} attempt(s) left.") { AttemptsLeft = auth.AttemptsLeft }
            : new WalletError(410, ErrorCodes.ChallengeExpired, "The SMS code has expired; ask for a new one (POST /payments/{id}/resend) or pay again.");
        error = error with { IssuerCode = auth.ResponseCode, Node = string.IsNullOrEmpty(auth.Node) ? null : auth.Node };
        if (!await payments.SetOutcomeAsync(payment.Id, PaymentStatus.PendingAuthentication, null, null, null, null, Now(), CancellationToken.None, lease: payment.UpdatedAtMs))
        {
            return await TakenOverAsync(payment);
        }

        metrics.Payment(error.Code);
        throw new WalletException(error);
    }

    /// <summary>
    /// <c>POST /payments/{id}/authenticate</c>: completes a payment the issuer answered 1A with the code from the SMS,
    /// then captures it as any approved payment. A payment completed before is replayed; one in a final state answers
    /// what it ended as.
    /// </summary>
    public async Task<PaymentResult> AuthenticateAsync(string userId, string paymentId, string? otp, CancellationToken ct)
    {
        Require(otp is not null && OtpPattern().IsMatch(otp), "otp must be the 4 to 8 digit code from the SMS");
        var payment = await OwnedAsync(userId, paymentId, ct);
        if (payment.ChallengeId is null)
        {
            throw NotChallenged(payment);
        }

        if (payment.Status is not (PaymentStatus.PendingAuthentication or PaymentStatus.Failed or PaymentStatus.Pending))
        {
            return Stored(payment) ?? throw InProgress();
        }

        if (await payments.TryClaimChallengeAsync(payment.Id, otp!, Now(), StaleBefore(), ct) is not { } lease)
        {
            var current = await payments.GetAsync(payment.Id, ct) ?? payment;
            return current.Status is PaymentStatus.PendingAuthentication or PaymentStatus.Failed or PaymentStatus.Pending
                ? throw InProgress()
                : Stored(current) ?? throw InProgress();
        }

        var claimed = payment with { Status = PaymentStatus.Pending, UpdatedAtMs = lease, ChallengeOtp = payment.AuthorizationId is null ? otp : payment.ChallengeOtp };
        return await RunAsync(claimed, async session => claimed.AuthorizationId is { } held
            ? IssuerHold.Known(held)
            : IssuerHold.Of(await session.AuthenticatePaymentAsync(new AuthenticatePaymentRequest { ChallengeId = claimed.ChallengeId, Otp = otp }, ct)), ct);
    }

    /// <summary><c>POST /payments/{id}/resend</c>: a fresh step-up code by SMS (the issuer's resend cooldown applies).</summary>
    public async Task<PaymentRecord> ResendChallengeAsync(string userId, string paymentId, CancellationToken ct)
    {
        if (_resendNotWired)
        {
            throw new WalletException(new WalletError(501, ErrorCodes.ResendNotSupported, "Sending the SMS code again is not supported."));
        }

        var payment = await OwnedAsync(userId, paymentId, ct);
        if (payment.Status != PaymentStatus.PendingAuthentication || payment.ChallengeId is null)
        {
            throw NotChallenged(payment);
        }

        ResendOtpReply reply;
        try
        {
            reply = await issuer.OpenSession().ResendOtpAsync(new ResendOtpRequest { ChallengeId = payment.ChallengeId }, ct);
        }
        catch (Exception e) when (IssuerErrorMapper.FromException(e) is { } error)
        {
            throw new WalletException(error);
        }

        if (reply.ResponseCode != "00")
        {
            var error = IssuerErrorMapper.FromDecline(reply.ResponseCode, reply.DeclineReason, reply.Message, reply.Node);
            if (reply.DeclineReason == DeclineReason.OtpAttemptsExceeded)
            {
                error = error with { Message = "Too many wrong SMS codes; the payment's challenge is closed. Pay again with a new Idempotency-Key." };
            }

            throw new WalletException(reply.RetryAfterMs > 0 ? error with { RetryAfterMs = reply.RetryAfterMs } : error);
        }

        var now = Now();
        var expires = now + ((payment.ChallengeTtlSeconds ?? 0) * 1000L);
        await payments.RenewChallengeAsync(payment.Id, expires, now, ct);
        metrics.Payment("otp_resent");
        return payment with { ChallengeExpiresAtMs = expires, UpdatedAtMs = now };
    }

    private async Task<PaymentRecord> OwnedAsync(string userId, string paymentId, CancellationToken ct)
    {
        var payment = await payments.GetAsync(paymentId, ct);
        return payment is not null && payment.UserId == userId
            ? payment
            : throw new WalletException(new WalletError(404, ErrorCodes.PaymentNotFound, $"No payment {Echo.Quoted(paymentId)} for this user."));
    }

    private static WalletException NotChallenged(PaymentRecord payment) =>
        new(new WalletError(409, ErrorCodes.PaymentNotChallenged,
            $"Payment '{payment.Id}' is {payment.Status}; only a payment waiting for its SMS code (pending_authentication) takes one."));

    // A row exists while the issuer calls run: always in resilient mode; in naive mode once the issuer challenged it.
    private bool HasRow(PaymentRecord payment) => issuer.RemembersFailedPayments || payment.ChallengeId is not null;

    private async Task<PaymentResult> CompleteAsync(PaymentRecord payment, string authorizationId, CancellationToken ct)
    {
        var now = Now();
        var completed = payment with { Status = PaymentStatus.Completed, AuthorizationId = authorizationId, ErrorCode = null, ErrorMessage = null, ErrorStatus = null };
        if (HasRow(payment))
        {
            if (!await payments.SetOutcomeAsync(payment.Id, PaymentStatus.Completed, authorizationId, null, null, null, now, CancellationToken.None, lease: payment.UpdatedAtMs))
            {
                return await TakenOverAsync(payment);
            }
        }
        else if (!await payments.TryInsertAsync(completed, CancellationToken.None))
        {
            // Two naive requests with one key raced and both charged (naive mode's flaw, docs/wallet.md "Payment
            // idempotency"): the first stored is the key's payment, but this request charged the card itself, so it
            // answers what it did (201, its own authorization) rather than claiming a replay it is not.
            metrics.Payment("completed");
            return new PaymentResult(completed, false);
        }

        await notifications.AddAsync(payment.UserId, payment.Id, "payment_completed",
            $"Paid {MoneyText.Of(payment.AmountMinor, payment.Currency)} to {payment.Merchant} (order {payment.OrderReference}).", now, CancellationToken.None);
        metrics.Payment("completed");
        return new PaymentResult(completed, false);
    }

    // Another request or the recovery pass owns the payment now: answer with what it has made of it so far.
    private async Task<PaymentResult> TakenOverAsync(PaymentRecord payment) =>
        Stored(await payments.GetAsync(payment.Id, CancellationToken.None) ?? payment) ?? throw InProgress();

    /// <summary>
    /// The stored answer for a retry, or null when the stored payment failed and may be resumed. A retry without
    /// <c>cardId</c> asks for the card the key was paid with; one naming a card must name that one.
    /// </summary>
    private PaymentResult? Replay(PaymentRecord existing, long amount, PaymentInput input)
    {
        if (!existing.SameRequest(input.CardId ?? existing.CardId, amount, input.Currency!, input.Merchant!.Trim(), input.OrderReference!.Trim()))
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
            case PaymentStatus.PendingAuthentication:
                // Waiting for its SMS code: the same challenge again, never a second Authorize.
                metrics.Payment("replayed");
                return new PaymentResult(existing, true);
            case PaymentStatus.Declined or PaymentStatus.Voided or PaymentStatus.Reversed or PaymentStatus.Expired:
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

    private static void RequireKeyLength(string? idempotencyKey)
    {
        if (idempotencyKey is not null && TextLength.Of(idempotencyKey) > MaxKeyLength)
        {
            throw new WalletException(new WalletError(422, ErrorCodes.IdempotencyKeyInvalid,
                $"Idempotency-Key must be 1 to {MaxKeyLength} {TextLength.Unit}; got {TextLength.Of(idempotencyKey)}"));
        }
    }

    private static void RequireText(string? problem)
    {
        if (problem is not null)
        {
            throw WalletException.Invalid(problem);
        }
    }

    private static void Require(bool ok, string message)
    {
        if (!ok)
        {
            throw WalletException.Invalid(message);
        }
    }
}
