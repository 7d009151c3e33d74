namespace PaySim.LoadTests.Plans;

/// <summary>
/// Bad input the user can fix: a plan with an unknown field, a bad duration, a claim that does
/// not parse, a bad flag, an unreachable external target. The message is one line naming the
/// field and the allowed values; the command line prints it and exits with code 2.
/// </summary>
public sealed class PlanException : Exception
{
    public PlanException(string message)
        : base(message)
    {
    }

    public PlanException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
