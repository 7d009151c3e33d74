using PaySim.LoadEngine;

namespace PaySim.LoadTests.Plans;

internal sealed record PlanScenario(
    ScenarioKind Kind,
    string Name,
    double Weight,
    IReadOnlyList<LoadSimulation> Load,
    IReadOnlyDictionary<ScenarioKind, double> Mix,
    int MaxConcurrency)
{
    public bool IsOpen => Load.Any(l => l.IsOpen);
}
