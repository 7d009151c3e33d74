namespace PaySim.TestSupport;

/// <summary>Prometheus's own linter (Debian's prometheus package, installed by scripts/install-deps.sh).</summary>
public static class Promtool
{
    /// <summary><c>promtool check metrics</c> on an exposition text: exit 0 and no output when it is clean.</summary>
    public static Task<(int ExitCode, string Output)> CheckMetricsAsync(string exposition) => RunAsync(["check", "metrics"], exposition);

    /// <summary><c>promtool check config FILE</c>.</summary>
    public static Task<(int ExitCode, string Output)> CheckConfigAsync(string path) => RunAsync(["check", "config", path], null);

    private static async Task<(int, string)> RunAsync(string[] args, string? input)
    {
        var run = await ChildProcess.RunAsync(ExternalTools.Require(ExternalTools.Promtool), args, TimeSpan.FromSeconds(30), stdin: input);
        return (run.ExitCode, run.Output);
    }
}
