using System.CommandLine;
using PaySim.Simulator.Cli;

namespace PaySim.LoadTests.Cli;

/// <summary>
/// `cardholders`: exactly the simulator's export (same generator, flags, seed and bytes), so the data a
/// plan draws from can be inspected without starting anything. The arguments are handed to the
/// simulator's command line unchanged.
/// </summary>
internal static class CardholdersCommand
{
    public const string Name = "cardholders";

    /// <summary>Listed in the root's help; the invocation itself goes through <see cref="RunAsync"/>.</summary>
    public static Command Build() =>
        new(Name, "Print synthetic cardholders as CSV or JSON (the simulator's export: --count, --seed, --format csv|json, --locale, --persona).")
        {
            TreatUnmatchedTokensAsErrors = false,
        };

    public static Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken) =>
        CliApp.RunAsync(args, stdout, stderr, stdoutStream: null, cancellationToken);
}
