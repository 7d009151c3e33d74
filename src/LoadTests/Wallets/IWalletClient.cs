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

    /// <summary>
    /// Asks for a fresh OTP for a pending binding, as the user taps "resend" when the SMS is late. A wallet
    /// that says "too soon" answers 429 with <see cref="WalletReply{T}.RetryAfterMs"/>. Adapters written
    /// before resends existed need not implement it: the default answers 501 <c>resend_not_supported</c> with
    /// <see cref="WalletReply{T}.ClientCannot"/> set, and the scenario then stops asking without counting a
    /// wallet call. A wallet's own reply is always judged, a 501 <c>resend_not_supported</c> over HTTP too.
    /// </summary>
    Task<WalletReply<OtpResent>> ResendOtpAsync(WalletUser user, string bindingId, CancellationToken cancellationToken) =>
        Task.FromResult(WalletReply<OtpResent>.NotImplementedByClient(WalletReply<OtpResent>.ResendNotSupported, "this wallet client has no OTP resend"));

    /// <summary>The app sends one Idempotency-Key per logical payment and reuses it on retries.</summary>
    Task<WalletReply<PaymentDone>> PayAsync(WalletUser user, PaymentRequest payment, string idempotencyKey, CancellationToken cancellationToken);

    /// <summary>
    /// SMS step-up (only the <c>step-up</c> scenario calls it): completes a payment <see cref="PayAsync"/> answered 202
    /// with the code from the SMS; a 2xx means the payment is done. Adapters need not implement it: the default answers
    /// 501 <c>step_up_not_supported</c> with <see cref="WalletReply{T}.ClientCannot"/> set.
    /// </summary>
    Task<WalletReply<PaymentDone>> AuthenticatePaymentAsync(WalletUser user, string paymentId, string otp, CancellationToken cancellationToken) =>
        Task.FromResult(WalletReply<PaymentDone>.NotImplementedByClient(WalletReply<PaymentDone>.StepUpNotSupported, "this wallet client cannot authenticate a payment"));

    /// <summary>SMS step-up: a fresh payment code, as <see cref="ResendOtpAsync"/> is for a binding (429 with retry-after when too soon).</summary>
    Task<WalletReply<OtpResent>> ResendPaymentOtpAsync(WalletUser user, string paymentId, CancellationToken cancellationToken) =>
        Task.FromResult(WalletReply<OtpResent>.NotImplementedByClient(WalletReply<OtpResent>.ResendNotSupported, "this wallet client has no payment code resend"));

    Task<WalletReply<RefundDone>> RefundAsync(WalletUser user, string paymentId, long amountMinor, string idempotencyKey, CancellationToken cancellationToken);

    /// <summary>Returns how many transactions the user has.</summary>
    Task<WalletReply<int>> GetTransactionsAsync(WalletUser user, CancellationToken cancellationToken);

    /// <summary>
    /// The user's payments and refunds with their status, as the wallet reports them: the wallet's view when the run
    /// reconciles money (docs/plans.md, "Reconciliation"). Adapters written before it need not implement it: the
    /// default answers 501 <c>history_not_supported</c>, and the claims that need the wallet's view then have no value.
    /// </summary>
    Task<WalletReply<IReadOnlyList<WalletTransaction>>> GetHistoryAsync(WalletUser user, CancellationToken cancellationToken) =>
        Task.FromResult(WalletReply<IReadOnlyList<WalletTransaction>>.NotImplementedByClient(WalletReply<IReadOnlyList<WalletTransaction>>.HistoryNotSupported, "this wallet client cannot list a user's transactions"));

    /// <summary>
    /// <c>POST /sessions</c>: a login with phone and password; the reply's user carries <paramref name="pin"/> on for payments.
    /// Only the password-reset scenario logs in; adapters without it answer <c>call_not_supported</c> (then that scenario fails).
    /// </summary>
    Task<WalletReply<WalletUser>> LoginAsync(string phone, string password, string pin, CancellationToken cancellationToken) =>
        Task.FromResult(WalletReply<WalletUser>.NotImplementedByClient(WalletReply<WalletUser>.CallNotSupported, "this wallet client cannot log in"));

    /// <summary><c>POST /password-resets</c>: asks for a reset code by SMS (password-reset scenario only).</summary>
    Task<WalletReply<ResetRequested>> StartPasswordResetAsync(string phone, CancellationToken cancellationToken) =>
        Task.FromResult(WalletReply<ResetRequested>.NotImplementedByClient(WalletReply<ResetRequested>.CallNotSupported, "this wallet client cannot reset a password"));

    /// <summary><c>POST /password-resets/confirm</c>: the SMS code and the new password (password-reset scenario only).</summary>
    Task<WalletReply<PasswordChanged>> ConfirmPasswordResetAsync(string phone, string code, string newPassword, CancellationToken cancellationToken) =>
        Task.FromResult(WalletReply<PasswordChanged>.NotImplementedByClient(WalletReply<PasswordChanged>.CallNotSupported, "this wallet client cannot reset a password"));

    /// <summary>
    /// <c>POST /payments/qr</c>: pays the merchant of an EMVCo QR code; one Idempotency-Key per logical payment, reused on
    /// retries, as <see cref="PayAsync"/> (qr-pay scenario only).
    /// </summary>
    Task<WalletReply<PaymentDone>> PayQrAsync(WalletUser user, QrPaymentRequest payment, string idempotencyKey, CancellationToken cancellationToken) =>
        Task.FromResult(WalletReply<PaymentDone>.NotImplementedByClient(WalletReply<PaymentDone>.CallNotSupported, "this wallet client cannot pay a QR code"));

    /// <summary>How this client spreads calls over the wallet URLs, for the report (e.g. "round robin over 2 URLs with passive health").</summary>
    string Balancing => "decided by the IWalletClient adapter";

    /// <summary>Null when every wallet endpoint answers its health check, else a one-line reason (checked before an external run starts).</summary>
    Task<string?> CheckHealthAsync(CancellationToken cancellationToken);
}
