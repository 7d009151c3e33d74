using System.Security.Cryptography;
using System.Text;
using PaySim.Contracts.Qr;
using PaySim.Wallet.Errors;

namespace PaySim.Wallet.Payments;

/// <summary>
/// Turns a <c>POST /payments/qr</c> body into the <see cref="PaymentInput"/> of an ordinary payment, so a QR payment takes
/// the one payment path (Idempotency-Key, hold, capture, replay, recovery) of <c>POST /payments</c>.
/// </summary>
internal static class QrPayment
{
    /// <summary>The currencies (ISO 4217 numeric, tag 53) this wallet pays, and their letter codes.</summary>
    private static readonly Dictionary<string, string> Currencies = new(StringComparer.Ordinal) { ["156"] = "CNY", ["840"] = "USD" };

    public static PaymentInput ToPayment(QrPaymentInput input, string? idempotencyKey)
    {
        if (string.IsNullOrEmpty(input.Qr))
        {
            throw new WalletException(new WalletError(400, ErrorCodes.InvalidQr, "qr (the EMVCo merchant-presented QR payload) is required"));
        }

        if (!EmvQr.TryParse(input.Qr, out var qr, out var problem))
        {
            throw new WalletException(new WalletError(400, ErrorCodes.InvalidQr, "qr: " + problem));
        }

        if (qr!.AmountMinor > PaymentService.MaxAmountMinor)
        {
            throw new WalletException(new WalletError(400, ErrorCodes.InvalidQr,
                $"qr: tag 54 (amount) {EmvQr.FormatAmount(qr.AmountMinor.Value)} is more than the largest payment ({EmvQr.FormatAmount(PaymentService.MaxAmountMinor)})"));
        }

        // The code's merchant id and reference become the payment's merchant and orderReference: the free-text rule of
        // POST /payments holds for them too, named here as the QR's tags (no body field is called merchant).
        if ((FreeText.ControlCharacterProblem(qr.MerchantId, "qr: the merchant id (tag 26, sub-tag 01)")
            ?? FreeText.ControlCharacterProblem(qr.Reference, "qr: the reference label (tag 62, sub-tag 05)")) is { } control)
        {
            throw new WalletException(new WalletError(400, ErrorCodes.InvalidQr, control));
        }

        if (!Currencies.TryGetValue(qr.CurrencyNumeric, out var currency))
        {
            throw new WalletException(new WalletError(400, ErrorCodes.InvalidQr,
                $"qr: currency (tag 53) {Echo.Quoted(qr.CurrencyNumeric)} is not one this wallet pays; allowed: {string.Join(", ", Currencies.Select(c => $"{c.Key} ({c.Value})"))}"));
        }

        var amount = (qr.AmountMinor, input.Amount) switch
        {
            (null, null) => throw new WalletException(new WalletError(400, ErrorCodes.QrAmountMissing,
                "amount: the QR carries no amount (tag 54), so the body must give one (minor units, e.g. 1999)")),
            ({ } inQr, { } inBody) when inQr != inBody => throw new WalletException(new WalletError(400, ErrorCodes.InvalidRequest,
                $"amount {inBody} differs from the QR's amount {inQr} (tag 54); leave amount out or send the same")),
            ({ } inQr, _) => inQr,
            (null, { } inBody) => inBody,
        };

        // A static code has no reference; one derived from the Idempotency-Key keeps a retry the same payment and two
        // payments to one merchant two orders (the issuer counts the same merchant + order on one card twice as a duplicate).
        var orderReference = qr.Reference ?? "qr-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(idempotencyKey ?? string.Empty)))[..24];
        return new PaymentInput(amount, currency, qr.MerchantId, orderReference, input.CardId, input.Pin);
    }
}
