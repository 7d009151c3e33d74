namespace PaySim.LoadTests.Steps;

/// <summary>
/// The wallet steps, each named after the wallet call it times: the scenarios time them under these names
/// (Scenarios/WalletFlows), claims scope them (step:&lt;name&gt;), the figures count wallet calls by them
/// (Claims/FigureCatalog), and reports list them in <see cref="All"/>'s order.
/// </summary>
internal static class StepNames
{
    public const string Register = "register";
    public const string BindStart = "bind_start";
    public const string SmsWait = "sms_wait";
    public const string BindResend = "bind_resend";
    public const string BindConfirm = "bind_confirm";
    public const string Pay = "pay";

    /// <summary>The step-up scenario: the SMS code of a payment the issuer challenged (<c>POST /payments/{id}/authenticate</c>).</summary>
    public const string PayAuthenticate = "pay_authenticate";

    /// <summary>The step-up scenario: a fresh payment code when the SMS is late (<c>POST /payments/{id}/resend</c>).</summary>
    public const string PayResend = "pay_resend";

    /// <summary><c>POST /payments/qr</c>: a payment to a merchant's EMVCo QR code (scenario qr-pay).</summary>
    public const string PayQr = "pay_qr";

    /// <summary>
    /// The second of a double tap (<c>client.doubleTap</c>): the same <c>POST /payments</c> (or <c>/payments/qr</c>), body and
    /// Idempotency-Key as the <c>pay</c> (<c>pay_qr</c>) it races; a wallet that honours the key answers it
    /// <c>409 payment_in_progress</c> or the replay, and it needs no issuer call of its own.
    /// </summary>
    public const string PayTap2 = "pay_tap2";
    public const string Refund = "refund";
    public const string History = "history";

    /// <summary><c>POST /password-resets</c>: the wallet texts a reset code (scenario password-reset).</summary>
    public const string ResetStart = "reset_start";

    /// <summary><c>POST /password-resets/confirm</c>: the code and the new password.</summary>
    public const string ResetConfirm = "reset_confirm";

    /// <summary><c>POST /sessions</c>: a login with the new password.</summary>
    public const string Login = "login";

    /// <summary>A call with the session from before the reset, which the wallet must refuse (401).</summary>
    public const string OldSession = "old_session";

    /// <summary>Every step, in the order of a user's journey (the final table's order).</summary>
    public static readonly IReadOnlyList<string> All = [Register, BindStart, SmsWait, BindResend, BindConfirm, Pay, PayQr, PayTap2, PayResend, PayAuthenticate, Refund, History, ResetStart, ResetConfirm, Login, OldSession];
}
