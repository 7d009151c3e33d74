namespace PaySim.LoadTests.SimulatorControl;

/// <summary>One page of the issuer's ledger: its rows, the cursor to read on from, and whether more rows existed.</summary>
internal sealed record LedgerPage(IReadOnlyList<LedgerRow> Entries, string NextCursor, bool More);
