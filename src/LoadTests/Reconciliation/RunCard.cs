using PaySim.LoadTests.Wallets;

namespace PaySim.LoadTests.Reconciliation;

/// <summary>A card the run pays with: the user who bound it (for the wallet's history) and its PAN (for the issuer's ledger).</summary>
internal sealed record RunCard(WalletUser User, string Pan);
