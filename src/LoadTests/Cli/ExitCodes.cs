namespace PaySim.LoadTests.Cli;

/// <summary>The command line's exit codes (DESIGN.md): CI branches on them.</summary>
public static class ExitCodes
{
    public const int AllClaimsHold = 0;
    public const int ClaimFailed = 1;
    public const int BadInput = 2;

    /// <summary>Ctrl+C or SIGTERM: the load stopped early, faults were reverted and a partial report written (128 + SIGINT, as shells expect).</summary>
    public const int Interrupted = 130;
}
