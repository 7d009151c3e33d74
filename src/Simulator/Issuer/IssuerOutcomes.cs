using PaySim.Contracts.Issuer.V1;

namespace PaySim.Simulator.Issuer;

internal sealed record StartBindingOutcome(string Code, DeclineReason Reason, string Message, string BindingId = "", string MaskedPhone = "", int OtpTtlSeconds = 0);

internal sealed record ConfirmBindingOutcome(string Code, DeclineReason Reason, string Message, string CardToken = "", int AttemptsLeft = 0, string Last4 = "", string Network = "");

internal sealed record ResendOtpOutcome(string Code, DeclineReason Reason, string Message, int RetryAfterMs = 0);

internal sealed record AuthorizeOutcome(string Code, DeclineReason Reason, string Message, string AuthorizationId = "", long AvailableBalanceMinor = 0);

internal sealed record CaptureOutcome(string Code, DeclineReason Reason, string Message, long CapturedMinor = 0);

internal sealed record RefundOutcome(string Code, DeclineReason Reason, string Message, long RefundedMinor = 0, string RefundId = "");

internal sealed record VoidOutcome(string Code, DeclineReason Reason, string Message, long ReleasedMinor = 0);
