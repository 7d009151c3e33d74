using System.Diagnostics;
using System.Text;
using PaySim.Wallet.Tests.Support;

namespace PaySim.Wallet.Tests.Hosting;

/// <summary>
/// stdout carries only the "listening on" lines a script or a test reads for the port; the log (the health monitor's
/// warnings about an issuer node, among others) goes to stderr.
/// </summary>
public sealed class LogStreamTests
{
    [Fact]
    public async Task NodeHealthWarnings_GoToStderr_StdoutHasOnlyTheListeningLine()
    {
        using var db = new TempDatabase();
        using var process = Process.Start(new ProcessStartInfo("dotnet", [WalletProcess.Dll, "--port", "0", "--mode", "resilient", "--issuer", "http://127.0.0.1:9", "--db", db.Path])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        })!;
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (stdout) { stdout.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (stderr) { stderr.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            // Nothing listens on port 9: the health monitor calls the node unhealthy within a few probes (every second).
            var log = await Eventually.ReturnsAsync(() => { lock (stderr) { return Task.FromResult(stderr.ToString()); } }, t => t.Contains("unhealthy", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
            Assert.Contains("Issuer node http://127.0.0.1:9/ is now unhealthy", log, StringComparison.Ordinal);
        }
        finally
        {
            process.Kill();
            await process.WaitForExitAsync();
        }

        string[] lines;
        lock (stdout)
        {
            lines = stdout.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        }

        var line = Assert.Single(lines);
        Assert.StartsWith("wallet-1 listening on http://127.0.0.1:", line, StringComparison.Ordinal);
    }
}
