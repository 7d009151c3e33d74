namespace PaySim.LoadTests.Wallets;

/// <summary>The wallet set the new password of a reset (and ended every session of the user).</summary>
public sealed record PasswordChanged(string? Status);
