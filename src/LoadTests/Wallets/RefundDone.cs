namespace PaySim.LoadTests.Wallets;

/// <summary>A completed refund.</summary>
public sealed record RefundDone(string? RefundId, string? Status);
