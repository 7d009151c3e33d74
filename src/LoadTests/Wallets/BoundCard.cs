namespace PaySim.LoadTests.Wallets;

/// <summary>A card on file in the wallet.</summary>
public sealed record BoundCard(string CardId, string? Last4);
