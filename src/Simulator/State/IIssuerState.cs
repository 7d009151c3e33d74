using PaySim.Simulator.Binding;
using PaySim.Simulator.Cardholders;
using PaySim.Simulator.Challenges;
using PaySim.Simulator.Idempotency;
using PaySim.Simulator.Ledger;
using PaySim.Simulator.Sms;

namespace PaySim.Simulator.State;

/// <summary>
/// Everything issuer nodes share. In memory today; a Redis-backed implementation of the same
/// stores lets nodes in several processes share one state.
/// </summary>
internal interface IIssuerState
{
    ICardholderRegistry Cardholders { get; }
    IBindingStore Bindings { get; }
    IOtpStore Otps { get; }
    ILedger Ledger { get; }
    IIdempotencyStore Idempotency { get; }
    ISmsInbox Inbox { get; }

    /// <summary>Payment challenges (1A) waiting for their SMS code.</summary>
    IChallengeStore Challenges { get; }

    /// <summary>Clears bindings, OTPs, challenges, idempotency keys and inboxes, and restores opening balances.</summary>
    void Reset();
}
