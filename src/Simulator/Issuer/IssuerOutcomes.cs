using System.Text.Json.Serialization;
using PaySim.Contracts.Issuer.V1;

namespace PaySim.Simulator.Issuer;

internal sealed record StartBindingOutcome(string Code, DeclineReason Reason, string Message, string BindingId = "", string MaskedPhone = "", int OtpTtlSeconds = 0);

internal sealed record ConfirmBindingOutcome(string Code, DeclineReason Reason, string Message, string CardToken = "", int AttemptsLeft = 0, string Last4 = "", string Network = "");

internal sealed record ResendOtpOutcome(string Code, DeclineReason Reason, string Message, int RetryAfterMs = 0);

// AuthorizationId and AvailableBalanceMinor must stay the last two values serialized (IssuerEngine.AuthorizeReplies):
// the step-up fields are written first.
internal sealed record AuthorizeOutcome(string Code, DeclineReason Reason, string Message, string AuthorizationId = "", long AvailableBalanceMinor = 0)
{
    [JsonPropertyOrder(-1)]
    public string ChallengeId { get; init; } = "";

    [JsonPropertyOrder(-1)]
    public string MaskedPhone { get; init; } = "";

    [JsonPropertyOrder(-1)]
    public int OtpTtlSeconds { get; init; }

    [JsonPropertyOrder(-1)]
    public string RiskRule { get; init; } = "";
}

internal sealed record AuthenticatePaymentOutcome(string Code, DeclineReason Reason, string Message, string AuthorizationId = "", long AvailableBalanceMinor = 0, int AttemptsLeft = 0);

internal sealed record CaptureOutcome(string Code, DeclineReason Reason, string Message, long CapturedMinor = 0);

internal sealed record RefundOutcome(string Code, DeclineReason Reason, string Message, long RefundedMinor = 0, string RefundId = "");

internal sealed record VoidOutcome(string Code, DeclineReason Reason, string Message, long ReleasedMinor = 0);
