namespace PaySim.Wallet.Accounts;

/// <summary>
/// <c>POST /sessions</c> calls per client address in fixed one-minute windows on the injected clock: one
/// client cannot try password after password across many phones, or burn the CPU on PBKDF2. The table is
/// emptied at each window and capped, so a flood of addresses cannot grow it without bound.
/// </summary>
internal sealed class LoginRateLimiter(int perMinute, TimeProvider time)
{
    private const int MaxTrackedClients = 100_000;
    private const string Overflow = "(overflow)";
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private readonly Lock _gate = new();
    private readonly Dictionary<string, int> _calls = new(StringComparer.Ordinal);
    private DateTimeOffset _windowStart = time.GetUtcNow();

    /// <summary>Null when the call may go ahead, else how long until the client's next window.</summary>
    public TimeSpan? TryAcquire(string client)
    {
        if (perMinute == 0)
        {
            return null;
        }

        var now = time.GetUtcNow();
        lock (_gate)
        {
            if (now - _windowStart >= Window)
            {
                _calls.Clear();
                _windowStart = now;
            }

            var key = _calls.Count >= MaxTrackedClients && !_calls.ContainsKey(client) ? Overflow : client;
            var calls = _calls.GetValueOrDefault(key) + 1;
            if (calls > perMinute)
            {
                return _windowStart + Window - now;
            }

            _calls[key] = calls;
            return null;
        }
    }
}
