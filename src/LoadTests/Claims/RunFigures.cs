using PaySim.LoadEngine;

namespace PaySim.LoadTests.Claims;

/// <summary>
/// Every figure a claim can name, joined from the engine's summary and the run-wide numbers computed
/// from the simulator and the wallet replies. <see cref="Lookup"/> is the function handed to
/// <see cref="Expression.Evaluate"/>.
/// </summary>
internal sealed class RunFigures
{
    private readonly RunSummary _summary;
    private readonly Dictionary<string, double?> _values = new(StringComparer.Ordinal);

    public RunFigures(RunSummary summary)
    {
        _summary = summary;
    }

    public IReadOnlyDictionary<string, double?> Values => _values;

    public RunFigures Set(string name, double? value)
    {
        _values[name] = value is { } v && double.IsFinite(v) ? v : null;
        return this;
    }

    public double? Get(string name) => _values.GetValueOrDefault(name);

    public double? Lookup(string key)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        if (slash > 0 && key.Contains(':', StringComparison.Ordinal))
        {
            var scope = key[..slash];
            var metric = key[(slash + 1)..];
            var colon = scope.IndexOf(':', StringComparison.Ordinal);
            var kind = scope[..colon];
            var name = scope[(colon + 1)..];
            if (kind == "step")
            {
                return StatsLookup.MergeSteps(_summary.Scenarios, name) is { } step ? StatsLookup.Lookup(step, metric, 0) : null;
            }

            var scenario = _summary.FindScenario(name);
            return scenario is null ? null : StatsLookup.Lookup(scenario, metric, scenario.Dropped);
        }

        if (_values.TryGetValue(key, out var value))
        {
            return value;
        }

        // bind_failures[cause], step_up_failures[cause], password_reset_failures[cause]: a cause that never happened was counted zero times; [!cause]: every other cause.
        var bracket = key.IndexOf('[', StringComparison.Ordinal);
        if (bracket > 0 && key.EndsWith(']') && ClaimMetrics.ByCause.Contains(key[..bracket]) && _values.GetValueOrDefault(key[..bracket]) is { } total)
        {
            var cause = key[(bracket + 1)..^1];
            return cause.StartsWith('!') ? total - (_values.GetValueOrDefault($"{key[..bracket]}[{cause[1..]}]") ?? 0) : 0;
        }

        return null;
    }
}
