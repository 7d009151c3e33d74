using Grpc.Core;
using PaySim.Contracts.Issuer.V1;
using Polly.Timeout;

namespace PaySim.Wallet.Errors;

/// <summary>
/// Translates what the issuer said (decline reason first, ISO response code second, gRPC status for
/// infrastructure faults) into the wallet's stable codes and HTTP statuses.
/// </summary>
internal static class IssuerErrorMapper
{
    public static WalletError FromDecline(string responseCode, DeclineReason reason, string? issuerMessage, string? node)
    {
        var (status, code, message) = reason switch
        {
            DeclineReason.PhoneMismatch => (402, ErrorCodes.PhoneMismatch, "The phone number does not match the phone reserved with the card's bank."),
            DeclineReason.IdMismatch => (402, ErrorCodes.IdMismatch, "The ID number does not match the cardholder's record at the bank."),
            DeclineReason.NameMismatch => (402, ErrorCodes.NameMismatch, "The name does not match the cardholder's name at the bank."),
            DeclineReason.CvvMismatch => (402, ErrorCodes.CvvMismatch, "The card security code (CVV) is wrong."),
            DeclineReason.PanUnknown or DeclineReason.TokenUnknown => (402, ErrorCodes.CardUnknown, "The bank does not know this card."),
            DeclineReason.Expired => (402, ErrorCodes.CardExpired, "The card has expired."),
            DeclineReason.Blocked => (402, ErrorCodes.CardBlocked, "The card is blocked by the bank."),
            DeclineReason.InsufficientFunds => (402, ErrorCodes.InsufficientFunds, "The card's balance is too low for this amount."),
            DeclineReason.OverLimit => (402, ErrorCodes.OverLimit, "The amount is over the card's daily limit."),
            DeclineReason.DoNotHonour => (402, ErrorCodes.DoNotHonour, "The bank declined the request (do not honour)."),
            DeclineReason.OtpWrong => (402, ErrorCodes.OtpWrong, "The SMS code is wrong."),
            DeclineReason.OtpExpired => (402, ErrorCodes.OtpExpired, "The SMS code has expired; request a new one."),
            DeclineReason.OtpAttemptsExceeded => (402, ErrorCodes.OtpAttemptsExceeded, "Too many wrong SMS codes; start the binding again."),
            DeclineReason.ResendTooSoon => (429, ErrorCodes.ResendTooSoon, "A new SMS code was requested too soon; wait and try again."),
            DeclineReason.InvalidAmount => (422, ErrorCodes.InvalidAmount, "The bank refused the amount."),
            DeclineReason.DuplicateRequest => (409, ErrorCodes.DuplicateRequest, "The bank saw this request before."),
            DeclineReason.IdempotencyKeyReused => (409, ErrorCodes.IdempotencyKeyReused, "The idempotency key was used before with a different request."),
            DeclineReason.AuthenticationRequired => (402, ErrorCodes.AuthenticationRequired, "The bank asks for the SMS code sent to the card's reserved phone."),
            DeclineReason.ChallengeUnknown => (410, ErrorCodes.ChallengeExpired, "The bank no longer knows this payment's SMS challenge; pay again."),
            DeclineReason.BindingUnknown => (404, ErrorCodes.BindingNotFound, "The bank does not know this binding; start it again."),
            DeclineReason.AuthorizationUnknown => (502, ErrorCodes.IssuerError, "The bank does not know this authorization."),
            DeclineReason.InvalidRequest => (422, ErrorCodes.InvalidRequest, "The bank refused the request" + (string.IsNullOrEmpty(issuerMessage) ? "." : ": " + issuerMessage + ".")),
            DeclineReason.IssuerUnavailable => (503, ErrorCodes.IssuerUnavailable, "The card's bank is unavailable; try again later."),
            DeclineReason.SystemError => (502, ErrorCodes.IssuerError, "The card's bank had a system error."),
            _ => FromResponseCode(responseCode),
        };
        return new WalletError(status, code, message) { IssuerCode = responseCode, Node = EmptyToNull(node), RetryAfterMs = null };
    }

    private static (int, string, string) FromResponseCode(string responseCode) => responseCode switch
    {
        "05" => (402, ErrorCodes.DoNotHonour, "The bank declined the request (do not honour)."),
        "14" => (402, ErrorCodes.CardUnknown, "The bank does not know this card."),
        "51" => (402, ErrorCodes.InsufficientFunds, "The card's balance is too low for this amount."),
        "54" => (402, ErrorCodes.CardExpired, "The card has expired."),
        "55" => (402, ErrorCodes.OtpWrong, "The SMS code or PIN is wrong."),
        "61" => (402, ErrorCodes.OverLimit, "The amount is over the card's daily limit."),
        "91" => (503, ErrorCodes.IssuerUnavailable, "The card's bank is unavailable; try again later."),
        "96" => (502, ErrorCodes.IssuerError, "The card's bank had a system error."),
        _ => (402, ErrorCodes.Declined, $"The bank declined the request (code {responseCode})."),
    };

    /// <summary>Maps what a failed call threw; null when the exception is not an issuer failure.</summary>
    public static WalletError? FromException(Exception exception) => exception switch
    {
        RpcException rpc => FromStatus(rpc.StatusCode, rpc.Status.Detail),
        TimeoutRejectedException => new WalletError(504, ErrorCodes.IssuerUnavailable, "The card's bank did not answer in time."),
        _ => null,
    };

    public static WalletError FromStatus(StatusCode status, string? detail) => status switch
    {
        StatusCode.Unavailable => new WalletError(503, ErrorCodes.IssuerUnavailable, "The card's bank is unreachable; try again later."),
        StatusCode.DeadlineExceeded => new WalletError(504, ErrorCodes.IssuerUnavailable, "The card's bank did not answer in time."),
        StatusCode.Cancelled => new WalletError(504, ErrorCodes.IssuerUnavailable, "The call to the card's bank was cancelled before it answered."),
        StatusCode.ResourceExhausted => new WalletError(503, ErrorCodes.IssuerUnavailable, "The card's bank is overloaded; try again later."),
        _ => new WalletError(502, ErrorCodes.IssuerError, $"The card's bank failed ({status}{(string.IsNullOrEmpty(detail) ? string.Empty : ": " + detail)})."),
    };

    private static string? EmptyToNull(string? s) => string.IsNullOrEmpty(s) ? null : s;
}
