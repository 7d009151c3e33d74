namespace PaySim.LoadTests.Scenarios;

/// <summary>
/// The QR code the app scans for one payment: the EMVCo payload, the amount the payer types (a static code's; null for a
/// dynamic code, whose amount is in the QR), and the order reference the code carries (empty for a static code: the
/// wallet makes one up, and reconciliation joins the issuer's row by amount).
/// </summary>
internal sealed record ScannedQr(string Payload, string MerchantId, long? TypedAmountMinor, string OrderReference);
