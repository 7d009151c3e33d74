namespace PaySim.LoadTests.Wallets;

/// <summary>
/// Round robin over the wallet URLs with passive health, as a load balancer in front of replicas does: an
/// instance that refused a connection is skipped for a back-off (doubling from <see cref="FirstBackOff"/> to
/// <see cref="MaxBackOff"/>) and then tried again by the next real request; any reply brings it back at once.
/// Lock-free: one counter and two small arrays written with plain stores.
/// </summary>
internal sealed class PassiveHealthBalancer
{
    public static readonly TimeSpan FirstBackOff = TimeSpan.FromMilliseconds(250);
    public static readonly TimeSpan MaxBackOff = TimeSpan.FromSeconds(4);

    private readonly TimeProvider _time;
    private readonly long[] _skipUntil;
    private readonly int[] _refusals;
    private long _next = -1;

    public PassiveHealthBalancer(int endpoints, TimeProvider time)
    {
        _time = time;
        _skipUntil = new long[endpoints];
        _refusals = new int[endpoints];
    }

    public int Count => _skipUntil.Length;

    /// <summary>The next instance in turn that is not skipped and not in <paramref name="tried"/>; when every one is, the one back soonest.</summary>
    public int Pick(ulong tried = 0)
    {
        var now = _time.GetTimestamp();
        var n = _skipUntil.Length;
        var fallback = -1;
        for (var k = 0; k < n; k++)
        {
            var i = (int)((ulong)Interlocked.Increment(ref _next) % (ulong)n);
            if ((tried & (1UL << (i % 64))) != 0)
            {
                continue;
            }

            if (Volatile.Read(ref _skipUntil[i]) <= now)
            {
                return i;
            }

            if (fallback < 0 || _skipUntil[i] < _skipUntil[fallback])
            {
                fallback = i;
            }
        }

        return fallback >= 0 ? fallback : (int)((ulong)Interlocked.Increment(ref _next) % (ulong)n);
    }

    /// <summary>The instance refused the connection: skip it for the next back-off.</summary>
    public void Refused(int i)
    {
        var refusals = Interlocked.Increment(ref _refusals[i]);
        var backOff = TimeSpan.FromTicks(Math.Min(MaxBackOff.Ticks, FirstBackOff.Ticks << Math.Min(refusals - 1, 10)));
        Volatile.Write(ref _skipUntil[i], _time.GetTimestamp() + (long)(backOff.TotalSeconds * _time.TimestampFrequency));
    }

    /// <summary>The instance answered (any HTTP status): it is healthy again.</summary>
    public void Answered(int i)
    {
        if (Volatile.Read(ref _refusals[i]) != 0)
        {
            Volatile.Write(ref _refusals[i], 0);
            Volatile.Write(ref _skipUntil[i], 0);
        }
    }
}
