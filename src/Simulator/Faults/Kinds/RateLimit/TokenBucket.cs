namespace PaySim.Simulator.Faults.Kinds.RateLimit;

/// <summary>A token bucket on <see cref="TimeProvider"/> timestamps, so tests advance time instead of sleeping.</summary>
public sealed class TokenBucket
{
    private readonly double _perSecond;
    private readonly double _burst;
    private readonly double _frequency;
    private readonly Lock _lock = new();
    private double _tokens;
    private long _last;

    public TokenBucket(double perSecond, int burst, long nowTimestamp, long timestampFrequency)
    {
        _perSecond = perSecond;
        _burst = burst;
        _frequency = timestampFrequency;
        _tokens = burst;
        _last = nowTimestamp;
    }

    /// <summary>Takes one token; when none is left, says how long until the next one.</summary>
    public bool TryTake(long nowTimestamp, out TimeSpan retryAfter)
    {
        lock (_lock)
        {
            if (nowTimestamp > _last)
            {
                _tokens = Math.Min(_burst, _tokens + ((nowTimestamp - _last) / _frequency * _perSecond));
                _last = nowTimestamp;
            }

            if (_tokens >= 1)
            {
                _tokens -= 1;
                retryAfter = TimeSpan.Zero;
                return true;
            }

            retryAfter = TimeSpan.FromSeconds((1 - _tokens) / _perSecond);
            return false;
        }
    }
}
