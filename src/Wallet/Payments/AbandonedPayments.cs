using Microsoft.Extensions.Logging;
using PaySim.Contracts.Issuer.V1;
using PaySim.Wallet.Errors;
using PaySim.Wallet.Integration;
using PaySim.Wallet.Observability;
using PaySim.Wallet.Storage;

namespace PaySim.Wallet.Payments;

/// <summary>
/// Releases the holds a resilient wallet will not capture. A payment declined after its Authorize was approved is
/// voided at once; a payment nobody finished (its process died, or it failed and no retry came within the stale
/// window) is settled by the recovery pass under its original issuer keys: the Authorize is asked again (the
/// issuer replays it, or holds and we release), the hold is voided, and a capture nobody saw succeed is refunded
/// in full. A step-up payment (1A) whose SMS code never came back holds nothing and is closed as expired. Every
/// step is idempotent at the issuer, so a pass cut short is finished by the next one.
/// </summary>
internal sealed class AbandonedPayments(
    PaymentStore payments,
    CardStore cards,
    NotificationStore notifications,
    IIssuerIntegration issuer,
    RefundRunner refunds,
    WalletMetrics metrics,
    TimeProvider time,
    ILogger logger)
{
    /// <summary>The key of the refund that reverses a payment captured behind its client's back.</summary>
    public const string ReversalKey = "wallet-reversal";

    /// <summary>Voids the hold of a declined payment; on issuer trouble it stays marked, and the recovery pass retries.</summary>
    public async Task ReleaseDeclinedAsync(PaymentRecord payment, string authorizationId, CancellationToken ct)
    {
        var outcome = await VoidAsync(payment, authorizationId, ct);
        if (outcome is VoidOutcome.Released or VoidOutcome.Captured)
        {
            // Captured cannot follow a declined capture under one key; nothing is held either way.
            await payments.ClearReleasePendingAsync(payment.Id, Now(), CancellationToken.None);
        }
    }

    /// <summary>Settles a payment the caller claimed under <paramref name="lease"/>; true when it reached a final state.</summary>
    public async Task<bool> SettleAsync(PaymentRecord payment, long lease, CancellationToken ct)
    {
        if (payment.ReleasePending && payment.AuthorizationId is { } held)
        {
            await ReleaseDeclinedAsync(payment, held, ct);
            return true;
        }

        if (payment.ChallengeId is not null && payment.AuthorizationId is null)
        {
            return await SettleChallengeAsync(payment, lease, ct);
        }

        var authorizationId = payment.AuthorizationId ?? await AuthorizeAgainAsync(payment, lease, ct);
        return authorizationId is not null && await ReleaseAsync(payment, authorizationId, lease, ct);
    }

    /// <summary>
    /// A step-up payment holds nothing until its SMS code is accepted. With no code ever tried it simply lapsed; with
    /// one, the issuer is asked what it made of it (the same challenge and code get the same reply), and a hold it
    /// placed is released like any other.
    /// </summary>
    private async Task<bool> SettleChallengeAsync(PaymentRecord payment, long lease, CancellationToken ct)
    {
        if (payment.ChallengeOtp is { } otp)
        {
            try
            {
                var reply = await issuer.OpenSession().AuthenticatePaymentAsync(new AuthenticatePaymentRequest { ChallengeId = payment.ChallengeId, Otp = otp }, ct);
                if (reply.ResponseCode == "00")
                {
                    return await ReleaseAsync(payment, reply.AuthorizationId, lease, ct);
                }

                if (IssuerErrorMapper.FromDecline(reply.ResponseCode, reply.DeclineReason, reply.Message, reply.Node).Status is 502 or 503 or 504)
                {
                    return await RetryLaterAsync(payment, lease);
                }
            }
            catch (Exception e) when (IssuerErrorMapper.FromException(e) is not null)
            {
                return await RetryLaterAsync(payment, lease);
            }
        }

        return await FinishAsync(payment, lease, PaymentStatus.Expired, ErrorCodes.ChallengeExpired,
            "The payment's SMS code was never confirmed and the challenge has lapsed; nothing was charged. Pay again with a new Idempotency-Key.", ct, 410);
    }

    // The payment will not be captured by anyone: its hold is voided, or reversed when the issuer captured it.
    private async Task<bool> ReleaseAsync(PaymentRecord payment, string authorizationId, long lease, CancellationToken ct)
    {
        if (await RenewAsync(payment.Id, lease, ct) is not { } renewed)
        {
            return false;
        }

        var authorized = payment with { AuthorizationId = authorizationId };
        return await VoidAsync(payment, authorizationId, ct) switch
        {
            VoidOutcome.Released => await FinishAsync(authorized, renewed, PaymentStatus.Voided, ErrorCodes.PaymentVoided,
                "The payment was interrupted before it completed and was cancelled; the hold on the card was released. Pay again with a new Idempotency-Key.", ct),
            VoidOutcome.Captured => await ReverseAsync(authorized, renewed, ct),
            _ => await RetryLaterAsync(authorized, renewed),
        };
    }

    // The Authorize of the dead attempt may or may not have reached the issuer: asking again under the same key
    // returns its hold if it did, and makes the hold (released next) if it did not. Null: settled or retry later.
    private async Task<string?> AuthorizeAgainAsync(PaymentRecord payment, long lease, CancellationToken ct)
    {
        var card = await cards.GetCardAsync(payment.UserId, payment.CardId, ct);
        if (card is null)
        {
            logger.LogWarning("Payment {Payment} has no card {Card}; left for an operator", payment.Id, payment.CardId);
            return null;
        }

        try
        {
            var auth = await issuer.OpenSession().AuthorizeAsync(PaymentRequests.Authorize(payment, card), ct);
            if (auth.ResponseCode == "00")
            {
                return auth.AuthorizationId;
            }

            var declined = IssuerErrorMapper.FromDecline(auth.ResponseCode, auth.DeclineReason, auth.Message, auth.Node);
            if (declined.Status is not (502 or 503 or 504))
            {
                // Nothing was ever held: the payment is declined, as its client would have been told.
                await payments.SetOutcomeAsync(payment.Id, PaymentStatus.Declined, null, declined.Code, declined.Message, declined.Status, Now(), CancellationToken.None, lease: lease);
                metrics.Payment(declined.Code);
                return null;
            }
        }
        catch (Exception e) when (IssuerErrorMapper.FromException(e) is not null)
        {
        }

        await RetryLaterAsync(payment, lease);
        return null;
    }

    private async Task<bool> ReverseAsync(PaymentRecord payment, long lease, CancellationToken ct)
    {
        var existing = await payments.FindRefundAsync(payment.Id, ReversalKey, ct);
        if (existing is { Status: PaymentStatus.Completed })
        {
            return await FinishReversedAsync(payment, lease, ct);
        }

        if (existing is not null)
        {
            // A reversal is under way and the refund recovery owns its row: look again after the stale window.
            return await RetryLaterAsync(payment, lease);
        }

        if (await RenewAsync(payment.Id, lease, ct) is not { } renewed)
        {
            return false;
        }

        var reversal = new RefundRecord("r_" + Guid.NewGuid().ToString("N"), payment.Id, payment.UserId, ReversalKey, payment.AmountMinor, PaymentStatus.Pending, null, Now(), Now());
        if (!await payments.TryInsertRefundAsync(reversal, ct))
        {
            return await RetryLaterAsync(payment, renewed);
        }

        // Never completed, so nothing of it was refunded before: the whole amount is free to reserve. (Written at
        // the lease's time: the reservation touches the payment row, and the claim must survive it.)
        await payments.TryReserveRefundAsync(payment.Id, payment.AmountMinor, renewed, ct);

        var (completed, _) = await refunds.RunAsync(reversal, payment, ct);
        return completed is not null && await RenewAsync(payment.Id, renewed, ct) is { } after
            ? await FinishReversedAsync(payment, after, ct)
            : await RetryLaterAsync(payment, renewed);
    }

    private Task<bool> FinishReversedAsync(PaymentRecord payment, long lease, CancellationToken ct) =>
        FinishAsync(payment, lease, PaymentStatus.Reversed, ErrorCodes.PaymentReversed,
            "The payment was interrupted after the card was charged and no confirmation reached you; it was refunded in full. Pay again with a new Idempotency-Key.", ct);

    private async Task<bool> FinishAsync(PaymentRecord payment, long lease, string status, string code, string message, CancellationToken ct, int httpStatus = 409)
    {
        if (!await payments.SetOutcomeAsync(payment.Id, status, payment.AuthorizationId, code, message, httpStatus, Now(), CancellationToken.None, lease: lease))
        {
            return false;
        }

        await notifications.AddAsync(payment.UserId, payment.Id, "payment_" + status,
            $"Payment of {MoneyText.Of(payment.AmountMinor, payment.Currency)} to {payment.Merchant} (order {payment.OrderReference}) was not completed: {message}", Now(), ct);
        metrics.Payment(status);
        return true;
    }

    // Issuer trouble: failed again (a client retry may resume it at once), and the pass looks again after the window.
    private async Task<bool> RetryLaterAsync(PaymentRecord payment, long lease)
    {
        await payments.SetOutcomeAsync(payment.Id, PaymentStatus.Failed, payment.AuthorizationId, ErrorCodes.IssuerUnavailable,
            "The issuer could not be reached to settle the payment; retry with the same Idempotency-Key.", 503, Now(), CancellationToken.None, lease: lease);
        return false;
    }

    // Before each issuer call: the claim stays fresh (no retry takes the payment over meanwhile), or it was lost.
    private async Task<long?> RenewAsync(string paymentId, long lease, CancellationToken ct)
    {
        var now = Now();
        return await payments.TryRenewAsync(paymentId, lease, now, ct) ? now : null;
    }

    private async Task<VoidOutcome> VoidAsync(PaymentRecord payment, string authorizationId, CancellationToken ct)
    {
        try
        {
            var reply = await issuer.OpenSession().VoidAsync(
                new VoidRequest { AuthorizationId = authorizationId, IdempotencyKey = IssuerKeys.Void(payment.UserId, payment.IdempotencyKey) }, ct);
            return reply.ResponseCode switch
            {
                // 14: the issuer does not know the hold (its ledger was reset): nothing is held.
                "00" or "14" => VoidOutcome.Released,
                "57" => VoidOutcome.Captured,
                _ => VoidOutcome.Unknown,
            };
        }
        catch (Exception e) when (IssuerErrorMapper.FromException(e) is not null)
        {
            return VoidOutcome.Unknown;
        }
    }

    private long Now() => time.GetUtcNow().ToUnixTimeMilliseconds();

    private enum VoidOutcome
    {
        Released,
        Captured,
        Unknown,
    }
}
