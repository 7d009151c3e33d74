using PaySim.Contracts.Issuer.V1;
using PaySim.Wallet.Errors;
using PaySim.Wallet.Integration;
using PaySim.Wallet.Observability;
using PaySim.Wallet.Storage;

namespace PaySim.Wallet.Payments;

/// <summary>
/// Sends a reserved refund to the issuer under its issuer key and records what the issuer said: the client's
/// request, a retry that took over a stale one, and the recovery pass all end here, so they all end alike.
/// </summary>
internal sealed class RefundRunner(PaymentStore payments, NotificationStore notifications, IIssuerIntegration issuer, WalletMetrics metrics, TimeProvider time)
{
    /// <summary>The completed refund, or the error that ended it.</summary>
    public async Task<(RefundRecord? Completed, WalletError? Failure)> RunAsync(RefundRecord refund, PaymentRecord payment, CancellationToken ct)
    {
        WalletError failure;
        bool definitive;
        try
        {
            var reply = await issuer.OpenSession().RefundAsync(
                new RefundRequest
                {
                    AuthorizationId = payment.AuthorizationId,
                    AmountMinor = refund.AmountMinor,
                    IdempotencyKey = IssuerKeys.Refund(payment.UserId, payment.Id, refund.IdempotencyKey),
                },
                ct);
            if (reply.ResponseCode == "00")
            {
                await payments.SetRefundOutcomeAsync(refund.Id, PaymentStatus.Completed, reply.RefundId, Now(), CancellationToken.None);
                await notifications.AddAsync(payment.UserId, payment.Id, "refund_completed",
                    $"Refunded {MoneyText.Of(refund.AmountMinor, payment.Currency)} from {payment.Merchant} (order {payment.OrderReference}).", Now(), CancellationToken.None);
                metrics.Refund("completed");
                return (refund with { Status = PaymentStatus.Completed, IssuerRefundId = reply.RefundId }, null);
            }

            failure = IssuerErrorMapper.FromDecline(reply.ResponseCode, reply.DeclineReason, reply.Message, reply.Node);
            definitive = failure.Status is not (502 or 503 or 504);
        }
        catch (Exception e) when (IssuerErrorMapper.FromException(e) is { } error)
        {
            failure = error;
            definitive = false;
        }

        metrics.Refund(failure.Code);
        if (!definitive && issuer.RemembersFailedPayments)
        {
            // The issuer may have refunded and only the reply was lost: keep the amount reserved and the key, so a
            // retry (or the recovery pass) asks again under the same issuer key and records the issuer's answer.
            await payments.SetRefundOutcomeAsync(refund.Id, PaymentStatus.Failed, null, Now(), CancellationToken.None);
            return (null, failure);
        }

        // The issuer refused it (or a naive wallet cannot tell): free the amount and forget the key so the client may retry.
        await payments.DeleteRefundAsync(refund.Id, CancellationToken.None);
        await payments.ReleaseRefundAsync(payment.Id, refund.AmountMinor, Now(), CancellationToken.None);
        return (null, failure);
    }

    private long Now() => time.GetUtcNow().ToUnixTimeMilliseconds();
}
