using PaySim.Wallet.Errors;

namespace PaySim.Wallet.Payments;

/// <summary>Body of <c>POST /payments/qr</c>: an EMVCo merchant-presented QR payload, the card and PIN, and the amount when the code has none.</summary>
internal sealed record QrPaymentInput(string? Qr, string? CardId, string? Pin, [property: WholeNumber(1, PaymentService.MaxAmountMinor)] long? Amount);
