using PaySim.Simulator.Faults;

namespace PaySim.Simulator.Risk;

/// <summary>
/// A risk document was refused. <see cref="Exception.Message"/> is one line naming every bad field and what is
/// allowed; the control plane maps it to HTTP 400 / INVALID_ARGUMENT, <c>--risk</c> to exit 2, and the rules in
/// force stay.
/// </summary>
internal sealed class RiskRuleException(IReadOnlyList<FaultRuleError> errors) : Exception(Format(errors))
{
    public IReadOnlyList<FaultRuleError> Errors { get; } = errors;

    private static string Format(IReadOnlyList<FaultRuleError> errors) =>
        errors.Count switch
        {
            0 => "invalid risk rules",
            1 => $"invalid risk rules: {errors[0]}",
            _ => $"invalid risk rules ({errors.Count} errors): {string.Join("; ", errors)}",
        };
}
