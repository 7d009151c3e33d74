using PaySim.Contracts.Issuer.V1;
using PaySim.Wallet.Integration;
using PaySim.Wallet.Storage;

namespace PaySim.Wallet.Payments;

/// <summary>The issuer requests of a payment, built one way for the first attempt, a resumed one and the recovery pass.</summary>
internal static class PaymentRequests
{
    public static AuthorizeRequest Authorize(PaymentRecord payment, CardRecord card) => new()
    {
        CardToken = card.CardToken,
        AmountMinor = payment.AmountMinor,
        Currency = payment.Currency,
        MerchantId = payment.Merchant,
        OrderReference = payment.OrderReference,
        IdempotencyKey = IssuerKeys.Authorize(payment.UserId, payment.IdempotencyKey),
    };

    public static CaptureRequest Capture(PaymentRecord payment, string authorizationId) => new()
    {
        AuthorizationId = authorizationId,
        AmountMinor = payment.AmountMinor,
        IdempotencyKey = IssuerKeys.Capture(payment.UserId, payment.IdempotencyKey),
    };
}
