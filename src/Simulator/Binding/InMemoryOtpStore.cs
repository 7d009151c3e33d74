using System.Collections.Concurrent;

namespace PaySim.Simulator.Binding;

internal sealed class InMemoryOtpStore(OtpOptions options) : IOtpStore
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    public bool TryIssue(string bindingId, string code, DateTimeOffset now, out TimeSpan retryAfter)
    {
        var entry = _entries.GetOrAdd(bindingId, static _ => new Entry());
        lock (entry)
        {
            if (entry.Code is not null && now - entry.SentAt < options.ResendCooldown)
            {
                retryAfter = options.ResendCooldown - (now - entry.SentAt);
                return false;
            }

            entry.Code = code;
            entry.SentAt = now;
            entry.ExpiresAt = now + options.Ttl;
            entry.AttemptsLeft = options.Attempts;
            entry.Accepted = false;
            retryAfter = TimeSpan.Zero;
            return true;
        }
    }

    public OtpVerdict Verify(string bindingId, string code, DateTimeOffset now, out int attemptsLeft)
    {
        attemptsLeft = 0;
        if (!_entries.TryGetValue(bindingId, out var entry))
        {
            return OtpVerdict.Unknown;
        }

        lock (entry)
        {
            if (entry.Code is null)
            {
                return OtpVerdict.Unknown;
            }

            if (entry.Accepted)
            {
                return string.Equals(entry.Code, code?.Trim(), StringComparison.Ordinal) ? OtpVerdict.Accepted : OtpVerdict.Used;
            }

            if (entry.AttemptsLeft <= 0)
            {
                return OtpVerdict.AttemptsExceeded;
            }

            if (now >= entry.ExpiresAt)
            {
                attemptsLeft = entry.AttemptsLeft;
                return OtpVerdict.Expired;
            }

            if (string.Equals(entry.Code, code?.Trim(), StringComparison.Ordinal))
            {
                // Kept as accepted: a replay (or a caller racing this one) with it is accepted again and finds the token
                // the binding got; another code counts no attempt (Used).
                entry.AttemptsLeft = 0;
                entry.Accepted = true;
                return OtpVerdict.Accepted;
            }

            entry.AttemptsLeft--;
            attemptsLeft = entry.AttemptsLeft;
            return entry.AttemptsLeft == 0 ? OtpVerdict.AttemptsExceeded : OtpVerdict.Wrong;
        }
    }

    public void Clear() => _entries.Clear();

    private sealed class Entry
    {
        public string? Code;
        public DateTimeOffset SentAt;
        public DateTimeOffset ExpiresAt;
        public int AttemptsLeft;
        public bool Accepted;
    }
}
