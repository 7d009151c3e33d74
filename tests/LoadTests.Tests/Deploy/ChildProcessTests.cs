namespace PaySim.LoadTests.Tests.Deploy;

/// <summary>tests/TestSupport/ChildProcess: how the tests run outside programs (haproxy -c, promtool, chromium, scripts).</summary>
public sealed class ChildProcessTests
{
    [Fact]
    public async Task Run_GivesTheExitCode_Stdout_AndStderr_AndFeedsStdin()
    {
        var run = await ChildProcess.RunAsync("bash", ["-c", "tr a-z A-Z; echo 'to stderr' >&2; exit 3"], TimeSpan.FromSeconds(30), stdin: "paysim\n");

        Assert.Equal(3, run.ExitCode);
        Assert.Equal("PAYSIM\n", run.Stdout);
        Assert.Equal("to stderr\n", run.Stderr);
        Assert.Equal("PAYSIM\nto stderr", run.Output);
    }

    [Fact]
    public async Task Run_InTheGivenFolder_WithArgumentsPassedAsGiven()
    {
        var folder = Directory.CreateTempSubdirectory("paysim-child-").FullName;
        try
        {
            var run = await ChildProcess.RunAsync("bash", ["-c", "pwd; printf '[%s]' \"$@\"", "bash", "two words", "*"], TimeSpan.FromSeconds(30), folder);

            Assert.Equal(0, run.ExitCode);
            Assert.Equal($"{folder}\n[two words][*]", run.Stdout);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Run_PastItsLimit_KillsTheProgramAndItsChildren_AndSaysSo()
    {
        // The child writes its background sleep's pid, then waits for it: killing only bash would leave the sleep.
        using var sleep = new PidFile();
        var e = await Assert.ThrowsAsync<TimeoutException>(() =>
            ChildProcess.RunAsync("bash", ["-c", $"sleep 120 & echo $! > '{sleep.Path}'; echo started; wait"], TimeSpan.FromSeconds(2)));

        Assert.StartsWith("bash -c sleep 120 &", e.Message, StringComparison.Ordinal);
        Assert.Contains("did not finish within 2 s and was killed with the programs it started; it wrote: started", e.Message, StringComparison.Ordinal);
        // SIGKILL is delivered at once, but the orphan is reaped by whoever adopts it: give that a moment.
        for (var i = 0; i < 100 && PidFile.Runs(sleep.Pid); i++)
        {
            await Task.Delay(50);
        }

        Assert.False(PidFile.Runs(sleep.Pid), $"sleep {sleep.Pid} still runs");
    }

    [Fact]
    public async Task Run_OfAProgramThatExits_ButLeavesAnotherHoldingItsOutput_EndsAtTheLimit_AndSaysSo()
    {
        // setsid: the sleep is no child of the program any more, so it outlives it and keeps stdout open.
        using var sleep = new PidFile();
        var e = await Assert.ThrowsAsync<TimeoutException>(() =>
            ChildProcess.RunAsync("bash", ["-c", $"setsid sleep 120 & echo $! > '{sleep.Path}'; echo done"], TimeSpan.FromSeconds(2)));

        Assert.Contains("did not finish within 2 s (it exited, but a program it started still holds its output open); it wrote: (unknown", e.Message, StringComparison.Ordinal);
    }

    /// <summary>A file a test's program writes a pid into; disposing it kills that process if it still runs (a failed test leaves nothing).</summary>
    private sealed class PidFile : IDisposable
    {
        public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"paysim-child-{Guid.NewGuid():N}.pid");

        public int Pid => int.Parse(File.ReadAllText(Path).Trim(), System.Globalization.CultureInfo.InvariantCulture);

        /// <summary>The process exists and is not a zombie (a zombie has ended; only its exit status waits to be read).</summary>
        public static bool Runs(int pid)
        {
            try
            {
                var stat = File.ReadAllText($"/proc/{pid}/stat");
                return !stat[(stat.LastIndexOf(')') + 1)..].TrimStart().StartsWith('Z');
            }
            catch (IOException)
            {
                return false;
            }
        }

        public void Dispose()
        {
            if (File.Exists(Path) && int.TryParse(File.ReadAllText(Path).Trim(), out var pid) && Runs(pid))
            {
                try
                {
                    System.Diagnostics.Process.GetProcessById(pid).Kill();
                }
                catch (ArgumentException)
                {
                    // Gone in the meantime.
                }
            }

            File.Delete(Path);
        }
    }
}
