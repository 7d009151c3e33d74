using Grpc.Net.Client;
using PaySim.Contracts.Issuer.V1;
using PaySim.Wallet.Observability;

namespace PaySim.Wallet.Integration;

/// <summary>
/// The integration a team writes first: one channel per node, the next node for each wallet operation, no
/// deadlines, no retries, no health checks, and no idempotency key on the wire. It loses a third of the
/// operations when one of three nodes is down and charges twice when a reply is lost and the client retries.
/// </summary>
internal sealed class NaiveIssuerIntegration : IIssuerIntegration
{
    public const string IntegrationName = "naive";

    private readonly GrpcChannel[] _channels;
    private readonly Issuer.IssuerClient[] _clients;
    private readonly WalletMetrics _metrics;
    private long _next = -1;

    public NaiveIssuerIntegration(IReadOnlyList<Uri> issuers, WalletMetrics metrics)
    {
        _metrics = metrics;
        _channels = issuers.Select(uri => GrpcChannel.ForAddress(uri)).ToArray();
        _clients = _channels.Select(c => new Issuer.IssuerClient(c)).ToArray();
    }

    public string Name => IntegrationName;

    public bool RemembersFailedPayments => false;

    public IIssuerSession OpenSession()
    {
        var index = (int)((ulong)Interlocked.Increment(ref _next) % (ulong)_clients.Length);
        return new Session(_clients[index], _metrics);
    }

    public ValueTask DisposeAsync()
    {
        foreach (var channel in _channels)
        {
            channel.Dispose();
        }

        return ValueTask.CompletedTask;
    }

    private sealed class Session(Issuer.IssuerClient client, WalletMetrics metrics) : IIssuerSession
    {
        public async Task<StartBindingReply> StartBindingAsync(StartBindingRequest request, CancellationToken ct)
        {
            metrics.IssuerAttempt("StartBinding");
            request.IdempotencyKey = string.Empty;
            return await client.StartBindingAsync(request, cancellationToken: ct);
        }

        public async Task<ConfirmBindingReply> ConfirmBindingAsync(ConfirmBindingRequest request, CancellationToken ct)
        {
            metrics.IssuerAttempt("ConfirmBinding");
            request.IdempotencyKey = string.Empty;
            return await client.ConfirmBindingAsync(request, cancellationToken: ct);
        }

        public async Task<ResendOtpReply> ResendOtpAsync(ResendOtpRequest request, CancellationToken ct)
        {
            metrics.IssuerAttempt("ResendOtp");
            return await client.ResendOtpAsync(request, cancellationToken: ct);
        }

        public async Task<AuthorizeReply> AuthorizeAsync(AuthorizeRequest request, CancellationToken ct)
        {
            metrics.IssuerAttempt("Authorize");
            request.IdempotencyKey = string.Empty;
            return await client.AuthorizeAsync(request, cancellationToken: ct);
        }

        public async Task<AuthenticatePaymentReply> AuthenticatePaymentAsync(AuthenticatePaymentRequest request, CancellationToken ct)
        {
            metrics.IssuerAttempt("AuthenticatePayment");
            return await client.AuthenticatePaymentAsync(request, cancellationToken: ct);
        }

        public async Task<CaptureReply> CaptureAsync(CaptureRequest request, CancellationToken ct)
        {
            metrics.IssuerAttempt("Capture");
            request.IdempotencyKey = string.Empty;
            return await client.CaptureAsync(request, cancellationToken: ct);
        }

        public async Task<RefundReply> RefundAsync(RefundRequest request, CancellationToken ct)
        {
            metrics.IssuerAttempt("Refund");
            request.IdempotencyKey = string.Empty;
            return await client.RefundAsync(request, cancellationToken: ct);
        }

        public async Task<VoidReply> VoidAsync(VoidRequest request, CancellationToken ct)
        {
            metrics.IssuerAttempt("Void");
            request.IdempotencyKey = string.Empty;
            return await client.VoidAsync(request, cancellationToken: ct);
        }
    }
}
