namespace PaySim.LoadEngine;

public static class Scenario
{
    /// <summary>Defines a scenario: <paramref name="run"/> is one iteration and returns its outcome.</summary>
    public static ScenarioProps Create(string name, Func<IScenarioContext, Task<Response>> run)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new LoadConfigException("scenario name must not be empty.");
        }

        return new ScenarioProps(name, run);
    }
}
