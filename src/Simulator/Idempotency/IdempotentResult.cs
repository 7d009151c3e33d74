namespace PaySim.Simulator.Idempotency;

/// <param name="Value">The first result for the key; null when <paramref name="KeyReused"/>.</param>
/// <param name="KeyReused">The key was used before with a different request.</param>
/// <param name="Replayed">The value was produced by an earlier call.</param>
internal readonly record struct IdempotentResult<T>(T? Value, bool KeyReused, bool Replayed) where T : class;
