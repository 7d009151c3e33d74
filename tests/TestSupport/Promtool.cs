using System.Diagnostics;

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
        var start = new ProcessStartInfo(ExternalTools.Require(ExternalTools.Promtool), args)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        if (input is not null)
        {
            await process.StandardInput.WriteAsync(input);
        }

        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, (await output + await errors).Trim());
    }
}
