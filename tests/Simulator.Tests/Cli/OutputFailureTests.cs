using System.Diagnostics;

namespace PaySim.Simulator.Tests.Cli;

/// <summary>
/// The export as a Unix tool: a reader that stops (<c>| head</c>) ends it at once with 0, and output that cannot be
/// written (<c>&gt; /dev/full</c>) is one line and exit 3, not the runtime's stack trace. Real processes: the pipe and
/// the device are the point.
/// </summary>
public sealed class OutputFailureTests
{
    private static readonly string Dll = Path.Combine(AppContext.BaseDirectory, "PaySim.Simulator.dll");

    [Fact]
    public async Task Cardholders_ReaderClosesThePipe_StopsAtOnceWithExitZero()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        // 100,000,000 rows take minutes to derive; a reader that keeps one line must not wait for them.
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { Dll, "cardholders", "--count", "100000000" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start)!;
        try
        {
            var errors = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            var header = await process.StandardOutput.ReadLineAsync(timeout.Token);
            Assert.StartsWith("index,pan,", header, StringComparison.Ordinal);
            process.StandardOutput.Close();

            await process.WaitForExitAsync(timeout.Token);

            Assert.Equal(0, process.ExitCode);
            Assert.Equal(string.Empty, await errors);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }

    [Theory]
    [InlineData("cardholders --count 1000")]
    [InlineData("cardholders --count 1000 --format json")]
    [InlineData("cardholders --persona magic")]
    [InlineData("--help")]
    public async Task FullDevice_IsOneLineAndExitThree(string command)
    {
        if (!OperatingSystem.IsLinux() || !File.Exists("/dev/full"))
        {
            return;
        }

        var start = new ProcessStartInfo("bash")
        {
            ArgumentList = { "-c", $"exec dotnet '{Dll}' {command} > /dev/full" },
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);

        Assert.Equal(3, process.ExitCode);
        var line = Assert.Single((await errors).Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal("error: could not complete: No space left on device (IOException)", line);
    }
}
