namespace PaySim.LoadTests.Cli;

/// <summary>
/// What the first Ctrl+C or SIGTERM says (Program.cs, ShutdownSignals): only a command that plays load (<c>run</c>,
/// <c>selftest</c>, without <c>--dry-run</c>) has load to stop, faults to revert and a report to write; any other
/// command just stops.
/// </summary>
internal static class SignalNotice
{
    public const string Load = "stopping the load, reverting faults, writing the report (Ctrl+C again to quit at once)";

    public const string Plain = "stopping (Ctrl+C again to quit at once)";

    public static string For(IReadOnlyList<string> args) =>
        args.Count > 0 && args[0] is "run" or "selftest" && !args.Any(a => a == "--dry-run" || a.StartsWith("--dry-run=", StringComparison.Ordinal)) && !args.Any(a => a is "--help" or "-h" or "-?")
            ? Load
            : Plain;
}
