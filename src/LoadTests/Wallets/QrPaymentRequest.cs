namespace PaySim.LoadTests.Wallets;

/// <summary>
/// One QR payment as the app asks for it: the merchant's EMVCo payload as scanned, the card to pay with, and the amount
/// the payer typed (minor units) for a static code; null for a dynamic code, whose amount is in the QR.
/// </summary>
public sealed record QrPaymentRequest(string Qr, string CardId, long? AmountMinor);
