using Grpc.Core;
using PaySim.Contracts.Issuer.V1;
using PaySim.Simulator.Hosting;
using PaySim.Simulator.Issuer;

namespace PaySim.Simulator.Services;

/// <summary>Translates gRPC messages to <see cref="IssuerEngine"/> calls; every reply names the node.</summary>
internal sealed class IssuerService(IssuerEngine engine, NodeIdentity node) : PaySim.Contracts.Issuer.V1.Issuer.IssuerBase
{
    public override Task<StartBindingReply> StartBinding(StartBindingRequest request, ServerCallContext context)
    {
        var o = engine.StartBinding(request.Pan, request.Expiry, request.Cvv, request.HolderName, request.IdNumber, request.Phone, request.IdempotencyKey);
        return Task.FromResult(new StartBindingReply
        {
            BindingId = o.BindingId,
            ResponseCode = o.Code,
            Message = o.Message,
            MaskedPhone = o.MaskedPhone,
            DeclineReason = o.Reason,
            Node = node.Name,
            OtpTtlSeconds = o.OtpTtlSeconds,
        });
    }

    public override Task<ConfirmBindingReply> ConfirmBinding(ConfirmBindingRequest request, ServerCallContext context)
    {
        var o = engine.ConfirmBinding(request.BindingId, request.Otp, request.IdempotencyKey);
        return Task.FromResult(new ConfirmBindingReply
        {
            ResponseCode = o.Code,
            CardToken = o.CardToken,
            Message = o.Message,
            DeclineReason = o.Reason,
            Node = node.Name,
            AttemptsLeft = o.AttemptsLeft,
            Last4 = o.Last4,
            Network = o.Network,
        });
    }

    public override Task<ResendOtpReply> ResendOtp(ResendOtpRequest request, ServerCallContext context)
    {
        var o = engine.ResendOtp(request.BindingId);
        return Task.FromResult(new ResendOtpReply
        {
            ResponseCode = o.Code,
            Message = o.Message,
            DeclineReason = o.Reason,
            Node = node.Name,
            RetryAfterMs = o.RetryAfterMs,
        });
    }

    public override Task<AuthorizeReply> Authorize(AuthorizeRequest request, ServerCallContext context)
    {
        var o = engine.Authorize(request.CardToken, request.AmountMinor, request.Currency, request.MerchantId, request.OrderReference, request.IdempotencyKey);
        return Task.FromResult(new AuthorizeReply
        {
            ResponseCode = o.Code,
            AuthorizationId = o.AuthorizationId,
            AvailableBalanceMinor = o.AvailableBalanceMinor,
            Message = o.Message,
            DeclineReason = o.Reason,
            Node = node.Name,
        });
    }

    public override Task<CaptureReply> Capture(CaptureRequest request, ServerCallContext context)
    {
        var o = engine.Capture(request.AuthorizationId, request.AmountMinor, request.IdempotencyKey);
        return Task.FromResult(new CaptureReply
        {
            ResponseCode = o.Code,
            Message = o.Message,
            DeclineReason = o.Reason,
            Node = node.Name,
            CapturedMinor = o.CapturedMinor,
        });
    }

    public override Task<RefundReply> Refund(RefundRequest request, ServerCallContext context)
    {
        var o = engine.Refund(request.AuthorizationId, request.AmountMinor, request.IdempotencyKey);
        return Task.FromResult(new RefundReply
        {
            ResponseCode = o.Code,
            Message = o.Message,
            DeclineReason = o.Reason,
            Node = node.Name,
            RefundedMinor = o.RefundedMinor,
            RefundId = o.RefundId,
        });
    }
}
