namespace PaySim.LoadTests.Wallets;

/// <summary>What the user types when binding a card (for mismatch personas: the wrong value a real user types).</summary>
public sealed record CardInput(string Pan, string Expiry, string Cvv, string HolderName, string IdNumber, string Phone);
