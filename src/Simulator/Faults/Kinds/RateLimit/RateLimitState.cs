namespace PaySim.Simulator.Faults.Kinds.RateLimit;

/// <summary>A rate-limit rule on one node: its bucket and the message of the calls it refuses.</summary>
internal sealed record RateLimitState(TokenBucket Bucket, string Message);
