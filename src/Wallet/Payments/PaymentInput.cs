using PaySim.Wallet.Errors;

namespace PaySim.Wallet.Payments;

/// <summary>Body of <c>POST /payments</c>. Amount is in minor units (fen, cents); the card defaults to the latest bound one.</summary>
internal sealed record PaymentInput([property: WholeNumber(1, PaymentService.MaxAmountMinor)] long? Amount, string? Currency, string? Merchant, string? OrderReference, string? CardId, string? Pin);
