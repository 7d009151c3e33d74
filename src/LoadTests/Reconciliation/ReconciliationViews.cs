using PaySim.Contracts.Control.V1;
using PaySim.LoadTests.Wallets;

namespace PaySim.LoadTests.Reconciliation;

/// <summary>
/// The three views of the run's money, read after the settle window: the app's calls, the wallet's history of the
/// run's users (by user id) and the issuer's ledger since the run's cursor. A view that could not be read is null,
/// with the reason; the figures that need it then have no value.
/// </summary>
internal sealed record ReconciliationViews(
    IReadOnlyList<AppCall> App,
    IReadOnlyList<RunCard> Cards,
    IReadOnlyDictionary<string, IReadOnlyList<WalletTransaction>>? Wallet,
    string? WalletError,
    IReadOnlyList<LedgerEntry>? Issuer,
    string? IssuerError);
