namespace PaySim.LoadTests.Wallets;

/// <summary>
/// The wallet as the load scenarios see it: one method per wallet call, each timed as a step of the
/// same name. <see cref="HttpWalletClient"/> speaks the reference wallet's REST contract
/// (docs/your-wallet.md); implement this interface to drive a wallet with a different API.
/// Methods never throw for a failed call: they return a <see cref="WalletReply{T}"/> with the code.
/// </summary>
public interface IWalletClient
{
    /// <summary>Replies per wallet instance, from the X-Served-By header (empty when the wallet does not send it).</summary>
    IReadOnlyDictionary<string, long> ServedBy { get; }

    Task<WalletReply<WalletUser>> RegisterAsync(string phone, string password, string pin, CancellationToken cancellationToken);

    Task<WalletReply<BindingStarted>> StartBindingAsync(WalletUser user, CardInput card, CancellationToken cancellationToken);

    Task<WalletReply<BoundCard>> ConfirmBindingAsync(WalletUser user, string bindingId, string otp, CancellationToken cancellationToken);

    /// <summary>The app sends one Idempotency-Key per logical payment and reuses it on retries.</summary>
    Task<WalletReply<PaymentDone>> PayAsync(WalletUser user, PaymentRequest payment, string idempotencyKey, CancellationToken cancellationToken);

    Task<WalletReply<RefundDone>> RefundAsync(WalletUser user, string paymentId, long amountMinor, string idempotencyKey, CancellationToken cancellationToken);

    /// <summary>Returns how many transactions the user has.</summary>
    Task<WalletReply<int>> GetTransactionsAsync(WalletUser user, CancellationToken cancellationToken);

    /// <summary>Null when every wallet endpoint answers its health check, else a one-line reason (checked before an external run starts).</summary>
    Task<string?> CheckHealthAsync(CancellationToken cancellationToken);
}
