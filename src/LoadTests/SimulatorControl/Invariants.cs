namespace PaySim.LoadTests.SimulatorControl;

/// <summary>The simulator's ledger checks and its count of declined orders sent again (GET /v1/invariants).</summary>
internal sealed record Invariants(long DuplicateCharges, bool MoneyConserved, IReadOnlyList<string> Violations, long DeclinedReattempts = 0);
