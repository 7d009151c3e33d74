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
        try
        {
            return new IdempotentResult<T>((T)entry.Result.Value, false, !ReferenceEquals(entry, mine));
        }
        catch
        {
            // Only completed outcomes are kept: a run that threw leaves the key free, so a retry with the
            // same key runs again (as the Redis store abandons its claim). Callers that were waiting on
            // this run see its exception once; nobody sees it after.
            _entries.TryRemove(KeyValuePair.Create((scope, key), entry));
            throw;
        }
    }

    public void Clear() => _entries.Clear();

    private sealed record Entry(string Fingerprint, Lazy<object> Result);
}
