namespace PaySim.LoadTests.Claims;

/// <summary>
/// What kind of number a run-wide figure is, so that a claim on it is written in its unit and can go either way:
/// <c>success_rate >= 95</c> (a share compared with 95) or <c>excess_charges &lt; 1s</c> (a count compared with 1000 ms)
/// would judge nothing the run measured.
/// </summary>
internal enum FigureUnit
{
    /// <summary>A count of things: a plain number, never below 0.</summary>
    Count,

    /// <summary>A share between 0 and 1: a percent (99%) or a fraction (0.99).</summary>
    Share,

    /// <summary>An index between 0 and 1 (Jain's fairness): a fraction (0.95) or a percent.</summary>
    Fraction,

    /// <summary>A time in ms: a duration (3s) or a plain number of ms, never below 0.</summary>
    Milliseconds,

    /// <summary>A plain number never below 0 (a rate per second, an index, a ratio).</summary>
    Number,

    /// <summary>A plain number that may be below 0 (a growth).</summary>
    SignedNumber,

    /// <summary>Yes or no: <c>== true</c> or <c>== false</c> (1 or 0).</summary>
    Flag,
}
