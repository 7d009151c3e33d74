namespace PaySim.LoadTests.Cli;

/// <summary>The command line's exit codes (DESIGN.md): CI branches on them.</summary>
public static class ExitCodes
{
    public const int AllClaimsHold = 0;
    public const int ClaimFailed = 1;
    public const int BadInput = 2;
}
