using PaySim.Wallet.Configuration;

namespace PaySim.Wallet.Payments;

/// <summary>
/// How long a payment or refund may go unwritten while a live process works on it: two issuer operations
/// (Authorize, Capture) of at most CallTimeout each, plus one attempt's worth of slack. Unwritten longer means
/// the process died (or gave up and no retry came): a retry with the same Idempotency-Key, or the recovery
/// pass, takes it over under the same issuer keys.
/// </summary>
internal static class StaleWindow
{
    public static TimeSpan Of(WalletOptions options) => (2 * options.CallTimeout) + options.AttemptTimeout;
}
