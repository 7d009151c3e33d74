using PaySim.LoadTests.SimulatorControl;
using PaySim.LoadTests.Wallets;

namespace PaySim.LoadTests.Scenarios;

/// <summary>
/// A user prepared before the load starts, with a healthy card already bound (for payment, refund, history); the PAN
/// joins it to the issuer's ledger, and the cardholder (persona, balance, daily limit, status) says which declines it explains.
/// </summary>
internal sealed record PreboundCard(WalletUser User, BoundCard Card, string Currency, string Pan, SimCardholder Holder);
