namespace PaySim.Wallet.Resilience;

/// <summary>
/// gRPC retry throttling as a budget: tokens start at <c>maxTokens</c>, each failed attempt costs one, each
/// successful attempt returns <c>tokenRatio</c>, and retries are allowed only while more than half remain.
/// When an issuer is down for everyone, retries stop amplifying load after a handful of failures.
/// <para>
/// Why our own and not grpc-dotnet's <c>RetryThrottlingPolicy</c> (same algorithm, gRFC A6): grpc-dotnet
/// keeps one throttle per channel and applies it only to its own transparent retries of a
/// <c>RetryPolicy</c>. The resilient wallet retries in its own pipeline instead (Polly, across channels:
/// a retry goes to another issuer node, carries the same idempotency key, and is counted in
/// <c>wallet_issuer_retries_total</c>), so the budget must be shared across every node's channel and
/// consulted by that pipeline. It is the same 10 lines grpc-dotnet's ChannelRetryThrottling holds.
/// </para>
/// </summary>
internal sealed class RetryBudget
{
    private const int Scale = 1000;
    private readonly int _max;
    private readonly int _ratio;
    private int _tokens;

    public RetryBudget(int maxTokens, double tokenRatio)
    {
        _max = maxTokens * Scale;
        _ratio = Math.Max(1, (int)(tokenRatio * Scale));
        _tokens = _max;
    }

    public double Tokens => Volatile.Read(ref _tokens) / (double)Scale;

    public bool CanRetry => Volatile.Read(ref _tokens) > _max / 2;

    public void RecordSuccess() => Add(_ratio);

    public void RecordFailure() => Add(-Scale);

    private void Add(int delta)
    {
        int current, next;
        do
        {
            current = Volatile.Read(ref _tokens);
            next = Math.Clamp(current + delta, 0, _max);
        }
        while (current != next && Interlocked.CompareExchange(ref _tokens, next, current) != current);
    }
}
