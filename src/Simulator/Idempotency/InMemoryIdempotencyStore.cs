using System.Collections.Concurrent;

namespace PaySim.Simulator.Idempotency;

internal sealed class InMemoryIdempotencyStore : IIdempotencyStore
{
    private readonly ConcurrentDictionary<(string Scope, string Key), Entry> _entries = new();

    public IdempotentResult<T> Run<T>(string scope, string key, string fingerprint, Func<T> operation) where T : class
    {
        if (string.IsNullOrEmpty(key))
        {
            return new IdempotentResult<T>(operation(), false, false);
        }

        var mine = new Entry(fingerprint, new Lazy<object>(operation, LazyThreadSafetyMode.ExecutionAndPublication));
        var entry = _entries.GetOrAdd((scope, key), mine);
        if (!string.Equals(entry.Fingerprint, fingerprint, StringComparison.Ordinal))
        {
            return new IdempotentResult<T>(null, true, true);
        }

        // Lazy with ExecutionAndPublication: concurrent callers wait for the one execution.
        return new IdempotentResult<T>((T)entry.Result.Value, false, !ReferenceEquals(entry, mine));
    }

    public void Clear() => _entries.Clear();

    private sealed record Entry(string Fingerprint, Lazy<object> Result);
}
