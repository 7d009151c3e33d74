using Grpc.Core;
using PaySim.Contracts.Issuer.V1;
using PaySim.Wallet.Errors;
using Polly.Timeout;

namespace PaySim.Wallet.Tests.Errors;

public sealed class IssuerErrorMapperTests
{
    [Theory]
    [InlineData("05", DeclineReason.PhoneMismatch, 402, "phone_mismatch")]
    [InlineData("05", DeclineReason.IdMismatch, 402, "id_mismatch")]
    [InlineData("05", DeclineReason.NameMismatch, 402, "name_mismatch")]
    [InlineData("05", DeclineReason.CvvMismatch, 402, "cvv_mismatch")]
    [InlineData("54", DeclineReason.Expired, 402, "card_expired")]
    [InlineData("05", DeclineReason.Blocked, 402, "card_blocked")]
    [InlineData("51", DeclineReason.InsufficientFunds, 402, "insufficient_funds")]
    [InlineData("61", DeclineReason.OverLimit, 402, "over_limit")]
    [InlineData("55", DeclineReason.OtpWrong, 402, "otp_wrong")]
    [InlineData("55", DeclineReason.OtpExpired, 402, "otp_expired")]
    [InlineData("55", DeclineReason.OtpAttemptsExceeded, 402, "otp_attempts_exceeded")]
    [InlineData("14", DeclineReason.PanUnknown, 402, "card_unknown")]
    [InlineData("14", DeclineReason.TokenUnknown, 402, "card_unknown")]
    [InlineData("05", DeclineReason.ResendTooSoon, 429, "resend_too_soon")]
    [InlineData("91", DeclineReason.IssuerUnavailable, 503, "issuer_unavailable")]
    [InlineData("96", DeclineReason.SystemError, 502, "issuer_error")]
    [InlineData("05", DeclineReason.IdempotencyKeyReused, 409, "idempotency_key_reused")]
    public void FromDecline_DeclineReasonDecidesTheCode(string responseCode, DeclineReason reason, int status, string code)
    {
        var error = IssuerErrorMapper.FromDecline(responseCode, reason, "issuer text", "issuer-2");

        Assert.Equal((status, code), (error.Status, error.Code));
        Assert.Equal(responseCode, error.IssuerCode);
        Assert.Equal("issuer-2", error.Node);
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
    }

    [Theory]
    [InlineData("05", 402, "do_not_honour")]
    [InlineData("14", 402, "card_unknown")]
    [InlineData("51", 402, "insufficient_funds")]
    [InlineData("54", 402, "card_expired")]
    [InlineData("55", 402, "otp_wrong")]
    [InlineData("61", 402, "over_limit")]
    [InlineData("91", 503, "issuer_unavailable")]
    [InlineData("96", 502, "issuer_error")]
    [InlineData("43", 402, "declined")]
    public void FromDecline_WithoutAReason_FallsBackToTheResponseCode(string responseCode, int status, string code)
    {
        var error = IssuerErrorMapper.FromDecline(responseCode, DeclineReason.Unspecified, null, "");

        Assert.Equal((status, code), (error.Status, error.Code));
        Assert.Null(error.Node);
    }

    [Theory]
    [InlineData(StatusCode.Unavailable, 503, "issuer_unavailable")]
    [InlineData(StatusCode.ResourceExhausted, 503, "issuer_unavailable")]
    [InlineData(StatusCode.DeadlineExceeded, 504, "issuer_unavailable")]
    [InlineData(StatusCode.Cancelled, 504, "issuer_unavailable")]
    [InlineData(StatusCode.Internal, 502, "issuer_error")]
    [InlineData(StatusCode.Unknown, 502, "issuer_error")]
    [InlineData(StatusCode.InvalidArgument, 502, "issuer_error")]
    public void FromException_GrpcStatusDecidesInfrastructureErrors(StatusCode status, int http, string code)
    {
        var error = IssuerErrorMapper.FromException(new RpcException(new Status(status, "boom")));

        Assert.NotNull(error);
        Assert.Equal((http, code), (error.Status, error.Code));
    }

    [Fact]
    public void FromException_WalletDeadline_IsIssuerUnavailableWith504()
    {
        var error = IssuerErrorMapper.FromException(new TimeoutRejectedException());

        Assert.Equal((504, ErrorCodes.IssuerUnavailable), (error!.Status, error.Code));
    }

    [Fact]
    public void FromException_NonIssuerFailure_IsNotMapped() => Assert.Null(IssuerErrorMapper.FromException(new InvalidOperationException()));
}
