namespace PaySim.Wallet.Cards;

/// <summary>Body of <c>POST /cards/bind</c>: what the user typed. The phone is compared with the one reserved at the bank.</summary>
internal sealed record StartBindingInput(string? Pan, string? Expiry, string? Cvv, string? HolderName, string? IdNumber, string? Phone);
