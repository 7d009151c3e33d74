namespace PaySim.Wallet.Storage;

/// <summary>A bound card: the issuer's opaque token and what a user needs to recognise it. Never the PAN.</summary>
internal sealed record CardRecord(string Id, string UserId, string CardToken, string Last4, string Network, long CreatedAtMs);
