using Grpc.Core;
using Grpc.Net.Client;
using Grpc.Net.Client.Balancer;
using Grpc.Net.Client.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PaySim.Contracts.Issuer.V1;
using PaySim.Wallet.Balancing;
using PaySim.Wallet.Configuration;
using PaySim.Wallet.Defects;
using PaySim.Wallet.Integration;
using PaySim.Wallet.Observability;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace PaySim.Wallet.Resilience;

/// <summary>
/// The integration that survives a flaky issuer: one gRPC channel balancing over every healthy node with the
/// configured policy, a deadline per attempt and per operation, jittered exponential retries under a retry
/// budget, and the wallet's derived idempotency keys forwarded on every call, which is what makes the retries
/// safe for Authorize, Capture, Void and Refund (AuthenticatePayment is idempotent per challenge and code at the issuer).
/// </summary>
internal sealed class ResilientIssuerIntegration : IIssuerIntegration, IIssuerSession
{
    public const string IntegrationName = "resilient";

    private readonly WalletOptions _options;
    private readonly WalletMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly NodeHealthMonitor _monitor;
    private readonly GrpcChannel _channel;
    private readonly ServiceProvider _channelServices;
    private readonly Issuer.IssuerClient _client;
    private readonly ResiliencePipeline _pipeline;

    // Planted defects (docs/wallet.md, "Planted defects"): each read once here, all false unless a load-test self-test asks.
    private readonly bool _noDeadline;
    private readonly bool _retryNewKey;
    private readonly bool _retryStorm;
    private readonly bool _retryDeclines;

    public ResilientIssuerIntegration(WalletOptions options, WalletMetrics metrics, ILoggerFactory loggerFactory)
    {
        _options = options;
        _metrics = metrics;
        _time = options.TimeProvider;
        Budget = new RetryBudget(options.RetryBudgetMaxTokens, options.RetryBudgetTokenRatio);
        _noDeadline = WalletDefects.IsOn(options.Defects, WalletDefects.NoDeadline);
        _retryNewKey = WalletDefects.IsOn(options.Defects, WalletDefects.RetryNewKey);
        _retryStorm = WalletDefects.IsOn(options.Defects, WalletDefects.RetryStorm);
        _retryDeclines = WalletDefects.IsOn(options.Defects, WalletDefects.RetryDeclines);

        // Defect no-failover: the balancer is only ever told about the first node, so it has nowhere else to go.
        var nodes = WalletDefects.IsOn(options.Defects, WalletDefects.NoFailover) ? options.IssuerUris.Take(1).ToArray() : options.IssuerUris;
        _monitor = new NodeHealthMonitor(nodes, options, loggerFactory);

        var services = new ServiceCollection();
        services.AddSingleton<ResolverFactory>(new HealthAwareResolverFactory(_monitor));
        var random = new SeededRandom(options.Seed);
        services.AddSingleton<LoadBalancerFactory>(new TrackedRoundRobinBalancerFactory(_monitor, random));
        services.AddSingleton<LoadBalancerFactory>(new LeastRequestsBalancerFactory(_monitor));
        services.AddSingleton<LoadBalancerFactory>(new PowerOfTwoChoicesBalancerFactory(_monitor, random));
        _channelServices = services.BuildServiceProvider();
        _channel = GrpcChannel.ForAddress($"{HealthAwareResolverFactory.Scheme}:///issuer", new GrpcChannelOptions
        {
            Credentials = ChannelCredentials.Insecure,
            ServiceProvider = _channelServices,
            LoggerFactory = loggerFactory,
            // Defect sticky-node: pick_first over the nodes in their configured order, so issuer-1 takes every call while it is up.
            ServiceConfig = new ServiceConfig
            {
                LoadBalancingConfigs = { new LoadBalancingConfig(WalletDefects.IsOn(options.Defects, WalletDefects.StickyNode) ? BalancingPolicies.PickFirst : options.BalancingPolicy) },
            },
            // Polly's timeout recognises an OperationCanceledException as its own and turns it into a retryable
            // TimeoutRejectedException; an RpcException(Cancelled) would look like the caller giving up.
            ThrowOperationCanceledOnCancellation = true,
            InitialReconnectBackoff = options.ReconnectInitialBackoff,
            MaxReconnectBackoff = options.ReconnectMaxBackoff,
            HttpHandler = new SocketsHttpHandler
            {
                EnableMultipleHttp2Connections = true,
                ConnectTimeout = options.AttemptTimeout,
                KeepAlivePingDelay = TimeSpan.FromSeconds(20),
                KeepAlivePingTimeout = TimeSpan.FromSeconds(5),
                PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
            },
        });
        _client = new Issuer.IssuerClient(_channel);
        _pipeline = BuildPipeline();
        _monitor.Start();
    }

    public string Name => IntegrationName;

    public bool RemembersFailedPayments => true;

    public RetryBudget Budget { get; }

    /// <summary>The nodes the balancer may pick now (healthy, not ejected), as the health monitor last published them.</summary>
    internal IReadOnlyList<BalancerAddress> UsableNodes => _monitor.UsableAddresses;

    public IIssuerSession OpenSession() => this;

    /// <summary>Probes every node's health now and republishes the usable set (tests wait for this instead of a timer).</summary>
    internal Task ProbeNodesAsync(CancellationToken ct) => _monitor.ProbeAllAsync(ct);

    public Task<StartBindingReply> StartBindingAsync(StartBindingRequest request, CancellationToken ct) =>
        CallAsync("StartBinding", o => _client.StartBindingAsync(request, o).ResponseAsync, r => IsRetryableCode(r.ResponseCode), ct);

    public Task<ConfirmBindingReply> ConfirmBindingAsync(ConfirmBindingRequest request, CancellationToken ct) =>
        CallAsync("ConfirmBinding", o => _client.ConfirmBindingAsync(request, o).ResponseAsync, r => IsRetryableCode(r.ResponseCode), ct);

    public Task<AuthorizeReply> AuthorizeAsync(AuthorizeRequest request, CancellationToken ct) => _retryNewKey || _retryDeclines
        ? AuthorizeRebuildingRetriesAsync(request, ct)
        : CallAsync("Authorize", o => _client.AuthorizeAsync(request, o).ResponseAsync, r => IsRetryableCode(r.ResponseCode), ct);

    public Task<AuthenticatePaymentReply> AuthenticatePaymentAsync(AuthenticatePaymentRequest request, CancellationToken ct) =>
        CallAsync("AuthenticatePayment", o => _client.AuthenticatePaymentAsync(request, o).ResponseAsync, r => IsRetryableCode(r.ResponseCode), ct);

    public Task<CaptureReply> CaptureAsync(CaptureRequest request, CancellationToken ct) =>
        CallAsync("Capture", o => _client.CaptureAsync(request, o).ResponseAsync, r => IsRetryableCode(r.ResponseCode), ct);

    public Task<RefundReply> RefundAsync(RefundRequest request, CancellationToken ct) =>
        CallAsync("Refund", o => _client.RefundAsync(request, o).ResponseAsync, r => IsRetryableCode(r.ResponseCode), ct);

    public Task<VoidReply> VoidAsync(VoidRequest request, CancellationToken ct) =>
        CallAsync("Void", o => _client.VoidAsync(request, o).ResponseAsync, r => IsRetryableCode(r.ResponseCode), ct);

    /// <summary>
    /// Resends the OTP; when the issuer says RESEND_TOO_SOON, waits what it asks (at least an exponential backoff,
    /// at most <see cref="WalletOptions.ResendMaxWait"/>) and tries again, up to <see cref="WalletOptions.ResendMaxAttempts"/> calls.
    /// </summary>
    public async Task<ResendOtpReply> ResendOtpAsync(ResendOtpRequest request, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            var reply = await CallAsync("ResendOtp", o => _client.ResendOtpAsync(request, o).ResponseAsync, r => IsRetryableCode(r.ResponseCode), ct);
            if (reply.DeclineReason != DeclineReason.ResendTooSoon || attempt >= _options.ResendMaxAttempts)
            {
                return reply;
            }

            var backoff = _options.RetryBaseDelay * Math.Pow(2, attempt);
            var wait = TimeSpan.FromMilliseconds(Math.Max(reply.RetryAfterMs, backoff.TotalMilliseconds));
            if (wait > _options.ResendMaxWait)
            {
                return reply;
            }

            _metrics.IssuerRetry("ResendOtp");
            await Task.Delay(wait, _time, ct);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _monitor.DisposeAsync();
        _channel.Dispose();
        await _channelServices.DisposeAsync();
    }

    /// <summary>
    /// Defects retry-new-key and retry-declines rebuild the request with a fresh issuer idempotency key. Retry-new-key does it
    /// for every retry and drops the order reference, so the issuer cannot tell the retry from a new payment (a lost reply is
    /// charged twice). Retry-declines retries declines too and rebuilds only the retry of a decline, keeping the order
    /// reference, so the issuer sees a declined order sent again (<c>declined_reattempts</c>); its other retries keep the key.
    /// </summary>
    private Task<AuthorizeReply> AuthorizeRebuildingRetriesAsync(AuthorizeRequest request, CancellationToken ct)
    {
        // Attempts run one after another (the retry strategy awaits each), so plain locals carry one attempt's news to the next.
        var attempts = 0;
        var sent = request;
        var declined = false;
        return CallAsync(
            "Authorize",
            o =>
            {
                if (++attempts > 1 && (_retryNewKey || declined))
                {
                    sent = new AuthorizeRequest(request)
                    {
                        IdempotencyKey = "retry-" + Guid.NewGuid().ToString("N"),
                        OrderReference = _retryNewKey ? string.Empty : request.OrderReference,
                    };
                }

                declined = false;
                return _client.AuthorizeAsync(sent, o).ResponseAsync;
            },
            r => IsRetryableCode(r.ResponseCode) || (_retryDeclines && (declined = IsDecline(r.ResponseCode))),
            ct);
    }

    /// <summary>An answer that is neither an approval, a step-up challenge nor one of the transient codes.</summary>
    private static bool IsDecline(string responseCode) => responseCode is not ("00" or "1A") && !IsRetryableCode(responseCode);

    internal static bool IsRetryableCode(string responseCode) => responseCode is "91" or "96";

    internal static bool IsTransient(Exception? exception) => exception switch
    {
        // OperationCanceledException here is the gRPC deadline (ThrowOperationCanceledOnCancellation covers deadlines
        // too); the caller giving up is filtered out by checking the caller's token before retrying.
        RetryableReplyException or TimeoutRejectedException or OperationCanceledException => true,
        RpcException rpc => rpc.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.Internal
            or StatusCode.Unknown or StatusCode.ResourceExhausted or StatusCode.Aborted,
        _ => false,
    };

    private async Task<T> CallAsync<T>(string method, Func<CallOptions, Task<T>> call, Func<T, bool> retryableReply, CancellationToken ct)
        where T : class
    {
        var context = ResilienceContextPool.Shared.Get(method, ct);
        try
        {
            return await _pipeline.ExecuteAsync(
                async (ctx, state) =>
                {
                    _metrics.IssuerAttempt(state.method);
                    // Defect no-deadline: no gRPC deadline at all (the pipeline has no timeouts either).
                    DateTime? deadline = _noDeadline ? null : _time.GetUtcNow().UtcDateTime + _options.AttemptTimeout;
                    var reply = await state.call(new CallOptions(deadline: deadline, cancellationToken: ctx.CancellationToken));
                    return state.retryableReply(reply) ? throw new RetryableReplyException(reply) : reply;
                },
                context,
                (method, call, retryableReply));
        }
        catch (RetryableReplyException e)
        {
            return (T)e.Reply;
        }
        catch (OperationCanceledException e) when (!ct.IsCancellationRequested)
        {
            // The last attempt's gRPC deadline expired just before the wallet's own timer: same meaning.
            throw new TimeoutRejectedException("The issuer did not answer within the deadline.", e);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private ResiliencePipeline BuildPipeline()
    {
        var builder = new ResiliencePipelineBuilder { TimeProvider = _time };
        if (!_noDeadline)
        {
            builder.AddTimeout(_options.CallTimeout);
        }

        if (_retryStorm)
        {
            AddRetryStorm(builder);
        }
        else if (_options.MaxRetryAttempts > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = _options.MaxRetryAttempts,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = _options.RetryBaseDelay,
                MaxDelay = _options.RetryMaxDelay,
                ShouldHandle = args =>
                {
                    if (args.Context.CancellationToken.IsCancellationRequested)
                    {
                        // The caller gave up or the operation's deadline passed: nothing to learn about the issuer.
                        return ValueTask.FromResult(false);
                    }

                    if (!IsTransient(args.Outcome.Exception))
                    {
                        Budget.RecordSuccess();
                        return ValueTask.FromResult(false);
                    }

                    Budget.RecordFailure();
                    if (!Budget.CanRetry)
                    {
                        _metrics.RetryBudgetExhausted(args.Context.OperationKey ?? "?");
                        return ValueTask.FromResult(false);
                    }

                    return ValueTask.FromResult(true);
                },
                OnRetry = args =>
                {
                    _metrics.IssuerRetry(args.Context.OperationKey ?? "?");
                    return ValueTask.CompletedTask;
                },
            });
        }

        if (!_noDeadline)
        {
            builder.AddTimeout(_options.AttemptTimeout);
        }

        return builder.Build();
    }

    /// <summary>
    /// Defect retry-storm: <see cref="RetryStormAttempts"/> retries at once, without backoff, without the retry budget and on
    /// every error, so each failure the issuer returns comes back as eleven calls.
    /// </summary>
    private void AddRetryStorm(ResiliencePipelineBuilder builder) => builder.AddRetry(new RetryStrategyOptions
    {
        MaxRetryAttempts = RetryStormAttempts,
        BackoffType = DelayBackoffType.Constant,
        UseJitter = false,
        Delay = TimeSpan.Zero,
        ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is not null && !args.Context.CancellationToken.IsCancellationRequested),
        OnRetry = args =>
        {
            _metrics.IssuerRetry(args.Context.OperationKey ?? "?");
            return ValueTask.CompletedTask;
        },
    });

    /// <summary>Retries after the first attempt with the retry-storm defect (instead of <see cref="WalletOptions.MaxRetryAttempts"/>).</summary>
    internal const int RetryStormAttempts = 10;
}
