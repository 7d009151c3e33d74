namespace PaySim.LoadTests.SimulatorControl;

/// <summary>The simulator's ledger checks (GET /v1/invariants).</summary>
internal sealed record Invariants(long DuplicateCharges, bool MoneyConserved, IReadOnlyList<string> Violations);
