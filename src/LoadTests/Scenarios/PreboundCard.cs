using PaySim.LoadTests.Wallets;

namespace PaySim.LoadTests.Scenarios;

/// <summary>A user prepared before the load starts, with a healthy card already bound (for payment, refund, history).</summary>
internal sealed record PreboundCard(WalletUser User, BoundCard Card, string Currency);
