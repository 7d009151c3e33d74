using PaySim.LoadTests.Plans;

namespace PaySim.LoadTests.Selftest;

/// <summary>A plan in the matrix: its name, its text and source (as <c>run --plan</c> resolves them), and its <c>"catches"</c> promise as compiled.</summary>
internal sealed record SelftestPlan(string Name, string Json, string Source, IReadOnlyList<PlanCatch> Catches);
