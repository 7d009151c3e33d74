namespace PaySim.Contracts.Durations;

/// <summary>Why <see cref="HumanDuration.TryParse(string?, TimeSpan, out TimeSpan, out DurationProblem)"/> refused a text.</summary>
public enum DurationProblem
{
    None,

    /// <summary>Not a number with a unit (or a bare "0").</summary>
    Malformed,

    /// <summary>Starts with a minus sign: no duration in a rule, a plan or a flag may be negative.</summary>
    Negative,

    /// <summary>Well formed, but longer than the bound the caller gave for the field.</summary>
    TooLong,
}
