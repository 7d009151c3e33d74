namespace PaySim.LoadTests.Wallets;

/// <summary>The wallet accepted a request for a fresh OTP: a new SMS is on its way and the old code is void.</summary>
public sealed record OtpResent(string BindingId, string? Status);
