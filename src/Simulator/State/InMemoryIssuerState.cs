using PaySim.Simulator.Binding;
using PaySim.Simulator.Cardholders;
using PaySim.Simulator.Challenges;
using PaySim.Simulator.Idempotency;
using PaySim.Simulator.Ledger;
using PaySim.Simulator.Sms;

namespace PaySim.Simulator.State;

internal sealed class InMemoryIssuerState(ICardholderRegistry cardholders, OtpOptions otp, TimeProvider time) : IIssuerState
{
    public ICardholderRegistry Cardholders { get; } = cardholders;
    public IBindingStore Bindings { get; } = new InMemoryBindingStore();
    public IOtpStore Otps { get; } = new InMemoryOtpStore(otp);
    public ILedger Ledger { get; } = new InMemoryLedger(pan => cardholders.FindByPan(pan)?.BalanceMinor);
    public IIdempotencyStore Idempotency { get; } = new InMemoryIdempotencyStore();
    public ISmsInbox Inbox { get; } = new InMemorySmsInbox(time);
    public IChallengeStore Challenges { get; } = new InMemoryChallengeStore();

    public void Reset()
    {
        Bindings.Clear();
        Otps.Clear();
        Idempotency.Clear();
        Inbox.Clear();
        Challenges.Clear();
        Ledger.Reset();
    }
}
