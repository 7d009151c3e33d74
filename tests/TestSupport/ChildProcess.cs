using System.Diagnostics;

namespace PaySim.TestSupport;

/// <summary>
/// Runs a program to its end for a test: its output and errors read as it writes them (so a full pipe never blocks
/// it), optional text on its input, and a time limit after which the program and its children are killed and the
/// test fails naming the command, instead of a program left running behind a test that gave up on it.
/// </summary>
public static class ChildProcess
{
    /// <summary>What the program did: its exit code, everything it wrote to stdout and to stderr.</summary>
    public sealed record Result(int ExitCode, string Stdout, string Stderr)
    {
        /// <summary>Stdout and stderr together, for a failure message.</summary>
        public string Output => (Stdout + Stderr).Trim();
    }

    /// <summary>Runs <paramref name="program"/> with <paramref name="args"/> (each one argument, not split again).</summary>
    public static Task<Result> RunAsync(string program, IEnumerable<string> args, TimeSpan timeout, string? workingDirectory = null, string? stdin = null)
    {
        var start = new ProcessStartInfo(program, args);
        if (workingDirectory is not null)
        {
            start.WorkingDirectory = workingDirectory;
        }

        return RunAsync(start, timeout, stdin);
    }

    /// <summary>Runs <paramref name="start"/> as given (its environment, folder, arguments); output and errors are redirected here.</summary>
    public static async Task<Result> RunAsync(ProcessStartInfo start, TimeSpan timeout, string? stdin = null)
    {
        ArgumentNullException.ThrowIfNull(start);
        start.UseShellExecute = false;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.RedirectStandardInput = true;
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{Describe(start)} did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            if (stdin is not null)
            {
                await process.StandardInput.WriteAsync(stdin);
            }

            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // It exited without reading its input: what it wrote and its exit code still tell.
        }

        // The limit covers the program's exit and the end of its output: a program it started apart and left running
        // may hold the pipes open after it exited.
        using var limit = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(limit.Token);
            await Task.WhenAll(stdout, stderr).WaitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            var exited = process.HasExited;
            if (!exited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }

            throw new TimeoutException(
                $"{Describe(start)} did not finish within {timeout.TotalSeconds:0.#} s " +
                (exited ? "(it exited, but a program it started still holds its output open)" : "and was killed with the programs it started") +
                $"; it wrote: {await WrittenAsync(stdout, stderr)}");
        }

        return new Result(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>What the program wrote, once its pipes close; at most 2 s more, since a program left running may hold them.</summary>
    private static async Task<string> WrittenAsync(Task<string> stdout, Task<string> stderr)
    {
        var both = Task.WhenAll(stdout, stderr);
        return await Task.WhenAny(both, Task.Delay(TimeSpan.FromSeconds(2))) == both
            ? (stdout.Result + stderr.Result).Trim()
            : "(unknown: a program it started still holds its output open)";
    }

    private static string Describe(ProcessStartInfo start) =>
        string.Join(' ', [start.FileName, .. start.ArgumentList.Count > 0 ? start.ArgumentList : [start.Arguments]]).Trim();
}
