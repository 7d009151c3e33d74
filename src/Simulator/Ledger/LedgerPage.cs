namespace PaySim.Simulator.Ledger;

/// <summary>One page of a ledger read: the rows, where to read on, and whether rows after it existed when it was read.</summary>
internal sealed record LedgerPage(IReadOnlyList<LedgerRow> Rows, LedgerCursor Next, bool More);
