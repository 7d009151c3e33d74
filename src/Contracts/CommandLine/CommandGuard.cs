namespace PaySim.Contracts.CommandLine;

/// <summary>
/// How every PaySim command line ends when something that is not the user's input goes wrong, so no failure
/// ends in the runtime's stack trace or reads as a verdict: the output could not be written (a full disk,
/// <c>&gt; /dev/full</c>) or a fault in the program itself is one line on stderr and exit
/// <see cref="NotCompleted"/>; a reader that stopped reading (<c>| head</c>) ends the command quietly with 0,
/// as Unix tools do; Ctrl+C that reached the command's token is <see cref="Interrupted"/>.
/// Commands run with System.CommandLine's own exception handler off, so their exceptions arrive here.
/// </summary>
public static class CommandGuard
{
    /// <summary>The command could not complete (environment or internal failure): no result, no verdict.</summary>
    public const int NotCompleted = 3;

    /// <summary>Ctrl+C or SIGTERM (128 + SIGINT, as shells expect).</summary>
    public const int Interrupted = 130;

    private const int WindowsBrokenPipe = 109;
    private const int WindowsNoData = 232;

    public static async Task<int> RunAsync(Func<Task<int>> command, TextWriter stderr, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        try
        {
            return await command().ConfigureAwait(false);
        }
        catch (IOException ex) when (IsBrokenPipe(ex))
        {
            return 0;
        }
        catch (IOException ex)
        {
            TryWriteLine(stderr, $"error: could not complete: {OneLine(ex.Message)} ({ex.GetType().Name})");
            return NotCompleted;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return Interrupted;
        }
        catch (Exception ex)
        {
            // A fault in the program: one line to grep, then the details a bug report needs.
            TryWriteLine(stderr, $"internal error: {ex.GetType().Name}: {OneLine(ex.Message)} (please report it with the lines below)");
            TryWriteLine(stderr, ex.ToString());
            return NotCompleted;
        }
    }

    /// <summary>
    /// The reader of a pipe went away: .NET ignores SIGPIPE, so the write fails instead. On Unix the exception carries
    /// only the generic I/O HResult and the C library's text for EPIPE ("Broken pipe"); on Windows, ERROR_BROKEN_PIPE
    /// or ERROR_NO_DATA in the HResult.
    /// </summary>
    public static bool IsBrokenPipe(IOException ex)
    {
        ArgumentNullException.ThrowIfNull(ex);
        return OperatingSystem.IsWindows()
            ? (ex.HResult & 0xFFFF) is WindowsBrokenPipe or WindowsNoData
            : ex.Message.Contains("Broken pipe", StringComparison.OrdinalIgnoreCase);
    }

    private static string OneLine(string text) =>
        string.Join(' ', text.Split((char[])['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    private static void TryWriteLine(TextWriter writer, string line)
    {
        try
        {
            writer.WriteLine(line);
            writer.Flush();
        }
        catch (IOException)
        {
            // stderr is gone too: the exit code is all that is left to say it.
        }
    }
}
