namespace PaySim.LoadTests.Wallets;

/// <summary>One payment as the app asks for it; amounts in minor units.</summary>
public sealed record PaymentRequest(string CardId, long AmountMinor, string Currency, string Merchant, string OrderReference);
