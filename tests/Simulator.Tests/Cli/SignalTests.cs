using System.Diagnostics;

namespace PaySim.Simulator.Tests.Cli;

public sealed class SignalTests
{
    // The serve command runs until Ctrl+C or SIGTERM. Each node is an embedded web application,
    // and a console lifetime in any of them used to swallow the signal and keep the process alive.
    [Fact]
    public async Task Serve_OnSigterm_StopsEveryNodeAndExitsZero()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        var dll = Path.Combine(AppContext.BaseDirectory, "PaySim.Simulator.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { dll, "serve", "--issuer-port", "0", "--sms-port", "0", "--control-port", "0", "--cardholders", "10" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start)!;
        try
        {
            using var ready = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            string? line;
            do
            {
                line = await process.StandardOutput.ReadLineAsync(ready.Token);
            }
            while (line is not null && !line.StartsWith("Press Ctrl+C", StringComparison.Ordinal));
            Assert.NotNull(line);

            using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }

            using var exit = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            await process.WaitForExitAsync(exit.Token);
            Assert.Equal(0, process.ExitCode);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }
}
