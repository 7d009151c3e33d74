namespace PaySim.LoadTests.Wallets;

/// <summary>A binding waiting for its OTP.</summary>
public sealed record BindingStarted(string BindingId, string? MaskedPhone);
