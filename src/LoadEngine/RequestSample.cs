namespace PaySim.LoadEngine;

/// <summary>
/// One counted request as <see cref="IRequestObserver"/> sees it: the latency and status code the statistics recorded
/// for it, and when it ended.
/// </summary>
/// <param name="Scenario">The scenario's name.</param>
/// <param name="Step">The step's name; null for the iteration as a whole.</param>
/// <param name="IsOk">The response's <see cref="Response.IsOk"/>.</param>
/// <param name="StatusCode">The code counted in statistics (<see cref="Response.EffectiveStatusCode"/>).</param>
/// <param name="LatencyMicros">The latency recorded, in µs (an iteration's from its intended start, a step's from its actual start).</param>
/// <param name="EndedUtc">When it completed, by the run's <see cref="TimeProvider"/>.</param>
public readonly record struct RequestSample(string Scenario, string? Step, bool IsOk, string StatusCode, long LatencyMicros, DateTimeOffset EndedUtc);
