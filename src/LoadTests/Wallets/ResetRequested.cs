namespace PaySim.LoadTests.Wallets;

/// <summary>The wallet took a password reset request (it texts the code if the phone is registered).</summary>
public sealed record ResetRequested(string? Status, long? CodeTtlSeconds);
