namespace PaySim.LoadEngine.Running;

internal sealed class ScenarioInitContext(string name, IScenarioLogger logger, IDictionary<string, object?> data, CancellationToken token, TimeProvider time) : IScenarioInitContext
{
    public string ScenarioName => name;

    public IScenarioLogger Logger => logger;

    public IDictionary<string, object?> Data => data;

    public CancellationToken CancellationToken => token;

    public TimeProvider TimeProvider => time;
}
