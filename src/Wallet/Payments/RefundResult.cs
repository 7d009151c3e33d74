using PaySim.Wallet.Storage;

namespace PaySim.Wallet.Payments;

internal sealed record RefundResult(RefundRecord Refund, PaymentRecord Payment, bool Replayed);
