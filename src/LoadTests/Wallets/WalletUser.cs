namespace PaySim.LoadTests.Wallets;

/// <summary>A registered user and the bearer token of their session.</summary>
public sealed record WalletUser(string UserId, string Token, string Phone, string Pin);
