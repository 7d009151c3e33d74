using PaySim.Wallet.Storage;

namespace PaySim.Wallet.Payments;

/// <summary>A completed payment and whether it was replayed from an earlier request with the same Idempotency-Key.</summary>
internal sealed record PaymentResult(PaymentRecord Payment, bool Replayed);
