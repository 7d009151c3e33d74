namespace PaySim.Simulator.Faults.Engine;

/// <summary>One call in the request journal: where it went, which rule (if any) was applied, how it ended.</summary>
public readonly record struct FaultJournalEntry(
    DateTimeOffset At,
    string Node,
    string Method,
    string? Rule,
    string Outcome,
    double LatencyMs);
