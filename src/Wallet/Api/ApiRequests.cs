using PaySim.Wallet.Errors;
using PaySim.Wallet.Payments;

namespace PaySim.Wallet.Api;

internal sealed record CreateUserRequest(string? Phone, string? Password, string? Pin, string? Name);

internal sealed record CreateSessionRequest(string? Phone, string? Password);

internal sealed record ConfirmBindingBody(string? Otp);

internal sealed record RefundBody(
    [property: WholeNumber(1, PaymentService.MaxAmountMinor, Note = "and at most what is left of the payment, or left out to refund the rest")] long? Amount);

internal sealed record AuthenticatePaymentBody(string? Otp);

internal sealed record StartPasswordResetRequest(string? Phone);

internal sealed record ConfirmPasswordResetRequest(string? Phone, string? Code, string? NewPassword);

internal sealed record VerifySessionRequest(string? ChallengeId, string? Code);

/// <summary>Body of the resend calls: none, or an empty object; a field is refused as on every other call.</summary>
internal sealed record ResendBody;
