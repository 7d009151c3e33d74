namespace PaySim.Contracts.Qr;

/// <summary>
/// What an EMVCo merchant-presented QR code says (docs/simulator.md, "Merchant QR codes"): who is paid, in which
/// currency, and, for a dynamic code, how much and under which reference.
/// </summary>
/// <param name="MerchantId">Tag 26, sub-tag 01: the merchant's id at the acquirer (the issuer's <c>merchant_id</c>).</param>
/// <param name="Name">Tag 59, at most 25 characters.</param>
/// <param name="City">Tag 60, at most 15 characters.</param>
/// <param name="CurrencyNumeric">Tag 53: the ISO 4217 numeric code, e.g. <c>156</c> for CNY.</param>
/// <param name="AmountMinor">Tag 54 in minor units (fen, cents); null for a static code the payer types the amount for.</param>
/// <param name="Reference">Tag 62, sub-tag 05 (reference label); null when absent.</param>
public sealed record MerchantQr(string MerchantId, string Name, string City, string CurrencyNumeric, long? AmountMinor, string? Reference);
