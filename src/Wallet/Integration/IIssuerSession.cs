using PaySim.Contracts.Issuer.V1;

namespace PaySim.Wallet.Integration;

/// <summary>
/// The issuer calls of one wallet operation. Business outcomes come back as replies (response code, decline
/// reason); infrastructure failures are thrown (<see cref="Grpc.Core.RpcException"/>, Polly's timeout).
/// </summary>
internal interface IIssuerSession
{
    Task<StartBindingReply> StartBindingAsync(StartBindingRequest request, CancellationToken ct);

    Task<ConfirmBindingReply> ConfirmBindingAsync(ConfirmBindingRequest request, CancellationToken ct);

    Task<ResendOtpReply> ResendOtpAsync(ResendOtpRequest request, CancellationToken ct);

    Task<AuthorizeReply> AuthorizeAsync(AuthorizeRequest request, CancellationToken ct);

    /// <summary>
    /// Completes a payment the issuer answered 1A with the SMS code. It carries no idempotency key: the issuer answers
    /// the same (challenge, code) with the same reply and holds once, so a retry is safe.
    /// </summary>
    Task<AuthenticatePaymentReply> AuthenticatePaymentAsync(AuthenticatePaymentRequest request, CancellationToken ct);

    Task<CaptureReply> CaptureAsync(CaptureRequest request, CancellationToken ct);

    Task<RefundReply> RefundAsync(RefundRequest request, CancellationToken ct);

    /// <summary>Releases a hold the wallet will not capture (only the resilient integration's payments call it).</summary>
    Task<VoidReply> VoidAsync(VoidRequest request, CancellationToken ct);
}
