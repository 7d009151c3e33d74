using Grpc.Core;
using PaySim.Contracts.Issuer.V1;
using PaySim.Simulator.Calls;
using PaySim.Simulator.Issuer;

namespace PaySim.Simulator.Services;

/// <summary>
/// Translates gRPC messages to <see cref="IssuerEngine"/> calls; every reply names the node. Each
/// method goes through the node's <see cref="CallDoor"/> (stats, faults) before its handler.
/// </summary>
internal sealed class IssuerService : PaySim.Contracts.Issuer.V1.Issuer.IssuerBase
{
    private readonly IssuerEngine _engine;
    private readonly NodeIdentity _node;
    private readonly UnaryDoor<StartBindingRequest, StartBindingReply> _startBinding;
    private readonly UnaryDoor<ConfirmBindingRequest, ConfirmBindingReply> _confirmBinding;
    private readonly UnaryDoor<ResendOtpRequest, ResendOtpReply> _resendOtp;
    private readonly UnaryDoor<AuthorizeRequest, AuthorizeReply> _authorize;
    private readonly UnaryDoor<CaptureRequest, CaptureReply> _capture;
    private readonly UnaryDoor<RefundRequest, RefundReply> _refund;
    private readonly UnaryDoor<VoidRequest, VoidReply> _void;
    private readonly UnaryDoor<AuthenticatePaymentRequest, AuthenticatePaymentReply> _authenticatePayment;

    public IssuerService(IssuerEngine engine, NodeIdentity node, CallDoor door)
    {
        _engine = engine;
        _node = node;
        _startBinding = door.Unary<StartBindingRequest, StartBindingReply>(nameof(StartBinding), StartBindingCore);
        _confirmBinding = door.Unary<ConfirmBindingRequest, ConfirmBindingReply>(nameof(ConfirmBinding), ConfirmBindingCore);
        _resendOtp = door.Unary<ResendOtpRequest, ResendOtpReply>(nameof(ResendOtp), ResendOtpCore);
        _authorize = door.Unary<AuthorizeRequest, AuthorizeReply>(nameof(Authorize), AuthorizeCore);
        _capture = door.Unary<CaptureRequest, CaptureReply>(nameof(Capture), CaptureCore);
        _refund = door.Unary<RefundRequest, RefundReply>(nameof(Refund), RefundCore);
        _void = door.Unary<VoidRequest, VoidReply>(nameof(Void), VoidCore);
        _authenticatePayment = door.Unary<AuthenticatePaymentRequest, AuthenticatePaymentReply>(nameof(AuthenticatePayment), AuthenticatePaymentCore);
    }

    public override Task<StartBindingReply> StartBinding(StartBindingRequest request, ServerCallContext context) => _startBinding.Call(request, context);

    public override Task<ConfirmBindingReply> ConfirmBinding(ConfirmBindingRequest request, ServerCallContext context) => _confirmBinding.Call(request, context);

    public override Task<ResendOtpReply> ResendOtp(ResendOtpRequest request, ServerCallContext context) => _resendOtp.Call(request, context);

    public override Task<AuthorizeReply> Authorize(AuthorizeRequest request, ServerCallContext context) => _authorize.Call(request, context);

    public override Task<CaptureReply> Capture(CaptureRequest request, ServerCallContext context) => _capture.Call(request, context);

    public override Task<RefundReply> Refund(RefundRequest request, ServerCallContext context) => _refund.Call(request, context);

    public override Task<VoidReply> Void(VoidRequest request, ServerCallContext context) => _void.Call(request, context);

    public override Task<AuthenticatePaymentReply> AuthenticatePayment(AuthenticatePaymentRequest request, ServerCallContext context) => _authenticatePayment.Call(request, context);

    private Task<AuthenticatePaymentReply> AuthenticatePaymentCore(AuthenticatePaymentRequest request, ServerCallContext context)
    {
        FieldLimits.Check(request.ChallengeId, "challenge_id", FieldLimits.Short);
        FieldLimits.Check(request.Otp, "otp", FieldLimits.Short);
        var o = _engine.AuthenticatePayment(request.ChallengeId, request.Otp, _node.Name);
        return Task.FromResult(new AuthenticatePaymentReply
        {
            ResponseCode = o.Code,
            AuthorizationId = o.AuthorizationId,
            AvailableBalanceMinor = o.AvailableBalanceMinor,
            Message = o.Message,
            DeclineReason = o.Reason,
            Node = _node.Name,
            AttemptsLeft = o.AttemptsLeft,
        });
    }

    private Task<StartBindingReply> StartBindingCore(StartBindingRequest request, ServerCallContext context)
    {
        FieldLimits.Check(request.Pan, "pan", FieldLimits.Short);
        FieldLimits.Check(request.Expiry, "expiry", FieldLimits.Short);
        FieldLimits.Check(request.Cvv, "cvv", FieldLimits.Short);
        FieldLimits.Check(request.HolderName, "holder_name", FieldLimits.Reference);
        FieldLimits.Check(request.IdNumber, "id_number", FieldLimits.Short);
        FieldLimits.Check(request.Phone, "phone", FieldLimits.Short);
        FieldLimits.Check(request.IdempotencyKey, "idempotency_key", FieldLimits.Reference);
        var o = _engine.StartBinding(request.Pan, request.Expiry, request.Cvv, request.HolderName, request.IdNumber, request.Phone, request.IdempotencyKey);
        return Task.FromResult(new StartBindingReply
        {
            BindingId = o.BindingId,
            ResponseCode = o.Code,
            Message = o.Message,
            MaskedPhone = o.MaskedPhone,
            DeclineReason = o.Reason,
            Node = _node.Name,
            OtpTtlSeconds = o.OtpTtlSeconds,
        });
    }

    private Task<ConfirmBindingReply> ConfirmBindingCore(ConfirmBindingRequest request, ServerCallContext context)
    {
        FieldLimits.Check(request.BindingId, "binding_id", FieldLimits.Short);
        FieldLimits.Check(request.Otp, "otp", FieldLimits.Short);
        FieldLimits.Check(request.IdempotencyKey, "idempotency_key", FieldLimits.Reference);
        var o = _engine.ConfirmBinding(request.BindingId, request.Otp, request.IdempotencyKey);
        return Task.FromResult(new ConfirmBindingReply
        {
            ResponseCode = o.Code,
            CardToken = o.CardToken,
            Message = o.Message,
            DeclineReason = o.Reason,
            Node = _node.Name,
            AttemptsLeft = o.AttemptsLeft,
            Last4 = o.Last4,
            Network = o.Network,
        });
    }

    private Task<ResendOtpReply> ResendOtpCore(ResendOtpRequest request, ServerCallContext context)
    {
        FieldLimits.Check(request.BindingId, "binding_id", FieldLimits.Short);
        FieldLimits.Check(request.ChallengeId, "challenge_id", FieldLimits.Short);
        var o = _engine.ResendOtp(request.BindingId, request.ChallengeId);
        return Task.FromResult(new ResendOtpReply
        {
            ResponseCode = o.Code,
            Message = o.Message,
            DeclineReason = o.Reason,
            Node = _node.Name,
            RetryAfterMs = o.RetryAfterMs,
        });
    }

    // Awaits a shared ledger (Redis) instead of blocking a thread on it; in memory the task is already done.
    private Task<AuthorizeReply> AuthorizeCore(AuthorizeRequest request, ServerCallContext context)
    {
        FieldLimits.Check(request.CardToken, "card_token", FieldLimits.Short);
        FieldLimits.Check(request.Currency, "currency", FieldLimits.Short);
        FieldLimits.Check(request.MerchantId, "merchant_id", FieldLimits.Reference);
        FieldLimits.Check(request.OrderReference, "order_reference", FieldLimits.Reference);
        FieldLimits.Check(request.IdempotencyKey, "idempotency_key", FieldLimits.Reference);
        var task = _engine.AuthorizeAsync(request.CardToken, request.AmountMinor, request.Currency, request.MerchantId, request.OrderReference, request.IdempotencyKey, _node.Name);
        return task.IsCompletedSuccessfully ? Task.FromResult(AuthorizeReplyOf(task.Result)) : AwaitAuthorize(task);
    }

    private async Task<AuthorizeReply> AwaitAuthorize(Task<AuthorizeOutcome> task) => AuthorizeReplyOf(await task.ConfigureAwait(false));

    private AuthorizeReply AuthorizeReplyOf(AuthorizeOutcome o) =>
        new()
        {
            ResponseCode = o.Code,
            AuthorizationId = o.AuthorizationId,
            AvailableBalanceMinor = o.AvailableBalanceMinor,
            Message = o.Message,
            DeclineReason = o.Reason,
            Node = _node.Name,
            ChallengeId = o.ChallengeId,
            MaskedPhone = o.MaskedPhone,
            OtpTtlSeconds = o.OtpTtlSeconds,
            RiskRule = o.RiskRule,
        };

    private Task<CaptureReply> CaptureCore(CaptureRequest request, ServerCallContext context)
    {
        FieldLimits.Check(request.AuthorizationId, "authorization_id", FieldLimits.Short);
        FieldLimits.Check(request.IdempotencyKey, "idempotency_key", FieldLimits.Reference);
        var o = _engine.Capture(request.AuthorizationId, request.AmountMinor, request.IdempotencyKey);
        return Task.FromResult(new CaptureReply
        {
            ResponseCode = o.Code,
            Message = o.Message,
            DeclineReason = o.Reason,
            Node = _node.Name,
            CapturedMinor = o.CapturedMinor,
        });
    }

    private Task<RefundReply> RefundCore(RefundRequest request, ServerCallContext context)
    {
        FieldLimits.Check(request.AuthorizationId, "authorization_id", FieldLimits.Short);
        FieldLimits.Check(request.IdempotencyKey, "idempotency_key", FieldLimits.Reference);
        var o = _engine.Refund(request.AuthorizationId, request.AmountMinor, request.IdempotencyKey);
        return Task.FromResult(new RefundReply
        {
            ResponseCode = o.Code,
            Message = o.Message,
            DeclineReason = o.Reason,
            Node = _node.Name,
            RefundedMinor = o.RefundedMinor,
            RefundId = o.RefundId,
        });
    }

    private Task<VoidReply> VoidCore(VoidRequest request, ServerCallContext context)
    {
        FieldLimits.Check(request.AuthorizationId, "authorization_id", FieldLimits.Short);
        FieldLimits.Check(request.IdempotencyKey, "idempotency_key", FieldLimits.Reference);
        var o = _engine.Void(request.AuthorizationId, request.IdempotencyKey);
        return Task.FromResult(new VoidReply
        {
            ResponseCode = o.Code,
            Message = o.Message,
            DeclineReason = o.Reason,
            Node = _node.Name,
            ReleasedMinor = o.ReleasedMinor,
        });
    }
}
