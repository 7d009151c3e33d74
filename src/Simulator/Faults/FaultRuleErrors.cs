namespace PaySim.Simulator.Faults;

/// <summary>Collects every problem of a request so the user fixes them all in one round.</summary>
internal sealed class FaultRuleErrors
{
    private readonly List<FaultRuleError> _errors = [];

    public int Count => _errors.Count;

    public IReadOnlyList<FaultRuleError> Items => _errors;

    public void Add(string field, string problem) => _errors.Add(new FaultRuleError(field, problem));

    public void ThrowIfAny()
    {
        if (_errors.Count > 0)
        {
            throw new FaultRuleException(_errors.ToArray());
        }
    }
}
