using PaySim.Contracts.Issuer.V1;

namespace PaySim.Wallet.Payments;

/// <summary>
/// What the issuer said to the call that holds a payment's money: an Authorize (which may answer 1A with a step-up
/// challenge instead), or the AuthenticatePayment that completes such a challenge with the SMS code.
/// </summary>
internal sealed record IssuerHold(
    string ResponseCode,
    string AuthorizationId,
    DeclineReason Reason,
    string Message,
    string Node,
    bool FromAuthentication,
    string ChallengeId = "",
    string MaskedPhone = "",
    int OtpTtlSeconds = 0,
    int AttemptsLeft = 0)
{
    public const string Approved = "00";
    public const string AuthenticationRequired = "1A";

    /// <summary>1A with a challenge to complete: nothing is held yet.</summary>
    public bool IsChallenge => ResponseCode == AuthenticationRequired && ChallengeId.Length > 0;

    /// <summary>The SMS code was refused but the challenge lives on: wrong (attempts left) or lapsed (a resend revives it).</summary>
    public bool IsCodeRefused => FromAuthentication && ResponseCode != Approved && Reason is DeclineReason.OtpWrong or DeclineReason.OtpExpired;

    public static IssuerHold Of(AuthorizeReply reply) =>
        new(reply.ResponseCode, reply.AuthorizationId, reply.DeclineReason, reply.Message, reply.Node, false, reply.ChallengeId, reply.MaskedPhone, reply.OtpTtlSeconds);

    public static IssuerHold Of(AuthenticatePaymentReply reply) =>
        new(reply.ResponseCode, reply.AuthorizationId, reply.DeclineReason, reply.Message, reply.Node, true, AttemptsLeft: reply.AttemptsLeft);

    /// <summary>A hold the wallet already knows of (authenticated before; only its capture is left).</summary>
    public static IssuerHold Known(string authorizationId) => new(Approved, authorizationId, DeclineReason.Unspecified, string.Empty, string.Empty, true);
}
