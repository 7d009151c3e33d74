namespace PaySim.LoadEngine;

/// <summary>What WithInit / WithClean see: runs once per scenario, before load starts / after it ends.</summary>
public interface IScenarioInitContext
{
    string ScenarioName { get; }

    IScenarioLogger Logger { get; }

    /// <summary>Scenario-wide bag shared by init, clean and (read-only by convention) all copies.</summary>
    IDictionary<string, object?> Data { get; }

    CancellationToken CancellationToken { get; }

    TimeProvider TimeProvider { get; }
}
