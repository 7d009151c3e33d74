using PaySim.LoadTests.Wallets;

namespace PaySim.LoadTests.Scenarios;

/// <summary>
/// Why a password reset failed, from the reply of the step it failed at (docs/plans.md, "password_reset_failures"): the
/// wallet's error code as binding failures are split (<c>reset_code_invalid</c> for a wrong, expired or used-up code,
/// <c>too_many_requests</c>, <c>internal_error</c>, <c>timeout</c>, …), <see cref="SmsTimeout"/> when no code came, and
/// two causes of the harness's own: the new password refused at login, and the session from before the reset still open.
/// Each method returns null when the step went as it should.
/// </summary>
internal static class PasswordResetCause
{
    /// <summary>No reset code came within <c>client.smsTimeout</c> (after the app's re-requests, <c>client.otpResends</c>).</summary>
    public const string SmsTimeout = "sms_timeout";

    /// <summary>The wallet's code for a wrong, expired or used-up reset code (docs/wallet.md).</summary>
    public const string CodeInvalid = "reset_code_invalid";

    /// <summary>The reset was confirmed, yet logging in with the new password answered 401.</summary>
    public const string NewPasswordRefused = "new_password_refused";

    /// <summary>The reset was confirmed, yet the session from before it still works (every session must end).</summary>
    public const string OldSessionAlive = "old_session_alive";

    public static string? OfStart<T>(WalletReply<T> reply) => reply.Ok ? null : Code(reply, "reset_start_failed");

    public static string? OfConfirm<T>(WalletReply<T> reply) => reply.Ok ? null : Code(reply, "reset_confirm_failed");

    public static string? OfLogin<T>(WalletReply<T> reply) =>
        reply.Ok ? null : reply.Status == 401 ? NewPasswordRefused : Code(reply, "login_failed");

    /// <summary>A call with the old session: 401 (or 403) is the answer wanted; a 2xx means it survived the reset.</summary>
    public static string? OfOldSession<T>(WalletReply<T> reply) => reply switch
    {
        { Ok: true } => OldSessionAlive,
        { Status: 401 or 403 } => null,
        _ => Code(reply, "old_session_check_failed"),
    };

    private static string Code<T>(WalletReply<T> reply, string fallback) =>
        reply.ClientCannot ? WalletReply<T>.CallNotSupported : reply.Code is { Length: > 0 } code ? code : fallback;
}
