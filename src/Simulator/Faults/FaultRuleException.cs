namespace PaySim.Simulator.Faults;

/// <summary>
/// A rule list was refused. <see cref="Exception.Message"/> is one line naming every bad field
/// with the allowed values; the control plane maps it to HTTP 400 / INVALID_ARGUMENT and applies
/// nothing of the request.
/// </summary>
public sealed class FaultRuleException : Exception
{
    public FaultRuleException(IReadOnlyList<FaultRuleError> errors)
        : base(Format(errors))
    {
        Errors = errors;
    }

    public FaultRuleException(string field, string problem)
        : this([new FaultRuleError(field, problem)])
    {
    }

    public IReadOnlyList<FaultRuleError> Errors { get; }

    private static string Format(IReadOnlyList<FaultRuleError> errors) =>
        errors.Count switch
        {
            0 => "invalid fault rule",
            1 => $"invalid fault rule: {errors[0]}",
            _ => $"invalid fault rules ({errors.Count} errors): {string.Join("; ", errors)}",
        };
}
