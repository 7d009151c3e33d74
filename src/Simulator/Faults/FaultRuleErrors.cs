namespace PaySim.Simulator.Faults;

/// <summary>Collects every problem of a request so the user fixes them all in one round.</summary>
internal sealed class FaultRuleErrors
{
    private readonly List<FaultRuleError> _errors = [];

    public int Count => _errors.Count;

    public IReadOnlyList<FaultRuleError> Items => _errors;

    public void Add(string field, string problem) => _errors.Add(new FaultRuleError(field, problem));

    /// <summary>Adds <paramref name="suffix"/> to each problem reported on <paramref name="field"/> itself since the <paramref name="from"/>-th.</summary>
    public void Amend(int from, string field, string suffix)
    {
        for (var i = from; i < _errors.Count; i++)
        {
            if (_errors[i].Field == field)
            {
                _errors[i] = _errors[i] with { Problem = _errors[i].Problem + suffix };
            }
        }
    }

    public void ThrowIfAny()
    {
        if (_errors.Count > 0)
        {
            throw new FaultRuleException(_errors.ToArray());
        }
    }
}
