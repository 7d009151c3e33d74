namespace PaySim.Simulator.Idempotency;

/// <summary>
/// Runs an operation at most once per (scope, key): concurrent and later callers with the same
/// request get the first result; a different request under the same key is refused.
/// </summary>
internal interface IIdempotencyStore
{
    IdempotentResult<T> Run<T>(string scope, string key, string fingerprint, Func<T> operation) where T : class;

    void Clear();
}
