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

    // A filtered export that scans 100,000,000 cards ran for minutes and ignored SIGTERM and Ctrl+C (it printed
    // "stopping the simulator" and kept going): the export now observes the signal between blocks.
    [Theory]
    [InlineData("TERM", "SIGTERM")]
    [InlineData("INT", "Ctrl+C")]
    public async Task CardholdersExport_OnASignal_StopsAtOnce_NamingTheExport(string signal, string name)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        var dll = Path.Combine(AppContext.BaseDirectory, "PaySim.Simulator.dll");

        // stdout to /dev/null (exec: the shell becomes the simulator, so the signal reaches it); stderr to the test.
        // A process started in the background inherits SIGINT ignored and .NET keeps it so: env restores the default.
        var start = new ProcessStartInfo("bash")
        {
            ArgumentList = { "-c", "exec env --default-signal=INT dotnet \"$0\" cardholders --count 100000000 --persona slow-sms > /dev/null", dll },
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start)!;
        try
        {
            var stderr = process.StandardError.ReadToEndAsync();

            // Well into the scan (it takes minutes), then the signal.
            await Task.Delay(TimeSpan.FromSeconds(2));
            Assert.False(process.HasExited, "the export was still running");
            using (var kill = Process.Start("kill", [$"-{signal}", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }

            var stopped = Stopwatch.StartNew();
            using var exit = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            await process.WaitForExitAsync(exit.Token);
            Assert.True(stopped.Elapsed < TimeSpan.FromSeconds(5), $"stopped {stopped.Elapsed} after the signal");
            Assert.Equal(130, process.ExitCode);
            Assert.Equal($"{name}: stopping the export (Ctrl+C again to quit at once)", (await stderr).Trim());
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
