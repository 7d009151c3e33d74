namespace PaySim.LoadTests.Wallets;

/// <summary>A completed payment.</summary>
public sealed record PaymentDone(string PaymentId, string? Status);
