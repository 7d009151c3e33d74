namespace PaySim.Simulator.Ledger;

internal readonly record struct HoldResult(LedgerOutcome Outcome, string? AuthorizationId, long AvailableMinor);

internal readonly record struct CaptureResult(LedgerOutcome Outcome, long CapturedMinor, string? Pan = null);

internal readonly record struct RefundResult(LedgerOutcome Outcome, long RefundedMinor, string? RefundId, string? Pan = null);

internal readonly record struct VoidResult(LedgerOutcome Outcome, long ReleasedMinor);
