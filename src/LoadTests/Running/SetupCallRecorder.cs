using System.Collections.Concurrent;
using PaySim.LoadTests.Steps;
using PaySim.LoadTests.Wallets;

namespace PaySim.LoadTests.Running;

/// <summary>
/// The wallet client as preparation uses it: every call goes through unchanged, and every failed reply the wallet
/// gave (not an adapter's "can't") is kept in arrival order, so a preparation that binds no card can show the first
/// one in full (<see cref="SetupFailure"/>).
/// </summary>
internal sealed class SetupCallRecorder(IWalletClient inner) : IWalletClient
{
    private readonly ConcurrentQueue<FailedSetupCall> _failed = new();

    /// <summary>Failed replies in the order they arrived; the first is what the wallet said first.</summary>
    public IReadOnlyCollection<FailedSetupCall> Failed => _failed;

    public IReadOnlyDictionary<string, long> ServedBy => inner.ServedBy;

    public string Balancing => inner.Balancing;

    public Task<WalletReply<WalletUser>> RegisterAsync(string phone, string password, string pin, CancellationToken cancellationToken) =>
        Keep(StepNames.Register, inner.RegisterAsync(phone, password, pin, cancellationToken));

    public Task<WalletReply<BindingStarted>> StartBindingAsync(WalletUser user, CardInput card, CancellationToken cancellationToken) =>
        Keep(StepNames.BindStart, inner.StartBindingAsync(user, card, cancellationToken));

    public Task<WalletReply<BoundCard>> ConfirmBindingAsync(WalletUser user, string bindingId, string otp, CancellationToken cancellationToken) =>
        Keep(StepNames.BindConfirm, inner.ConfirmBindingAsync(user, bindingId, otp, cancellationToken));

    public Task<WalletReply<OtpResent>> ResendOtpAsync(WalletUser user, string bindingId, CancellationToken cancellationToken) =>
        Keep(StepNames.BindResend, inner.ResendOtpAsync(user, bindingId, cancellationToken));

    public Task<WalletReply<PaymentDone>> PayAsync(WalletUser user, PaymentRequest payment, string idempotencyKey, CancellationToken cancellationToken) =>
        Keep(StepNames.Pay, inner.PayAsync(user, payment, idempotencyKey, cancellationToken));

    public Task<WalletReply<PaymentDone>> AuthenticatePaymentAsync(WalletUser user, string paymentId, string otp, CancellationToken cancellationToken) =>
        Keep(StepNames.PayAuthenticate, inner.AuthenticatePaymentAsync(user, paymentId, otp, cancellationToken));

    public Task<WalletReply<OtpResent>> ResendPaymentOtpAsync(WalletUser user, string paymentId, CancellationToken cancellationToken) =>
        Keep(StepNames.PayResend, inner.ResendPaymentOtpAsync(user, paymentId, cancellationToken));

    public Task<WalletReply<RefundDone>> RefundAsync(WalletUser user, string paymentId, long amountMinor, string idempotencyKey, CancellationToken cancellationToken) =>
        Keep(StepNames.Refund, inner.RefundAsync(user, paymentId, amountMinor, idempotencyKey, cancellationToken));

    public Task<WalletReply<int>> GetTransactionsAsync(WalletUser user, CancellationToken cancellationToken) =>
        Keep(StepNames.History, inner.GetTransactionsAsync(user, cancellationToken));

    public Task<WalletReply<IReadOnlyList<WalletTransaction>>> GetHistoryAsync(WalletUser user, CancellationToken cancellationToken) =>
        Keep(StepNames.History, inner.GetHistoryAsync(user, cancellationToken));

    public Task<WalletReply<PaymentDone>> PayQrAsync(WalletUser user, QrPaymentRequest payment, string idempotencyKey, CancellationToken cancellationToken) =>
        Keep(StepNames.PayQr, inner.PayQrAsync(user, payment, idempotencyKey, cancellationToken));

    public Task<WalletReply<WalletUser>> LoginAsync(string phone, string password, string pin, CancellationToken cancellationToken) =>
        Keep(StepNames.Login, inner.LoginAsync(phone, password, pin, cancellationToken));

    public Task<WalletReply<ResetRequested>> StartPasswordResetAsync(string phone, CancellationToken cancellationToken) =>
        Keep(StepNames.ResetStart, inner.StartPasswordResetAsync(phone, cancellationToken));

    public Task<WalletReply<PasswordChanged>> ConfirmPasswordResetAsync(string phone, string code, string newPassword, CancellationToken cancellationToken) =>
        Keep(StepNames.ResetConfirm, inner.ConfirmPasswordResetAsync(phone, code, newPassword, cancellationToken));

    public Task<string?> CheckHealthAsync(CancellationToken cancellationToken) => inner.CheckHealthAsync(cancellationToken);

    private async Task<WalletReply<T>> Keep<T>(string step, Task<WalletReply<T>> call)
    {
        var reply = await call.ConfigureAwait(false);
        if (!reply.Ok && !reply.ClientCannot)
        {
            _failed.Enqueue(new FailedSetupCall(step, reply.Status, reply.Code, reply.Message, reply.ServedBy, reply.Exchange));
        }

        return reply;
    }
}
