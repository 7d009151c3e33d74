using PaySim.Contracts.CommandLine;

namespace PaySim.LoadTests.Cli;

/// <summary>The command line's exit codes (DESIGN.md): CI branches on them.</summary>
public static class ExitCodes
{
    public const int AllClaimsHold = 0;
    public const int ClaimFailed = 1;
    public const int BadInput = 2;

    /// <summary>
    /// No verdict: the run could not be completed — the target could not be prepared (no cardholders, no card bound),
    /// the report or output could not be written, or a fault in the harness. Never a pass, and not a red verdict on
    /// the wallet either, so CI can tell the two apart.
    /// </summary>
    public const int NotCompleted = CommandGuard.NotCompleted;

    /// <summary>Ctrl+C or SIGTERM: the load stopped early, faults were reverted and a partial report written (128 + SIGINT, as shells expect).</summary>
    public const int Interrupted = CommandGuard.Interrupted;
}
