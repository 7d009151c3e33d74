using Microsoft.Win32.SafeHandles;

namespace PaySim.Contracts.CommandLine;

/// <summary>
/// Standard output as a stream for bulk exports. When it is a pipe, writes go straight to the descriptor, so a
/// reader that stopped (<c>cardholders --count 10000000 | head</c>) fails the next write with a broken pipe and the
/// export stops at once (<see cref="CommandGuard"/> ends it quietly); the console stream .NET gives drops those
/// writes and would generate every row into the void. A file (seekable) keeps the console stream, whose writes move
/// the descriptor's shared offset, so <c>{ cardholders; echo done; } &gt; file</c> keeps both.
/// </summary>
public static class StandardOutput
{
    public static Stream Open()
    {
        if (!OperatingSystem.IsWindows())
        {
            try
            {
                var pipe = new FileStream(new SafeFileHandle(1, ownsHandle: false), FileAccess.Write, bufferSize: 0);
                if (!pipe.CanSeek)
                {
                    return pipe;
                }

                pipe.Dispose();
            }
            catch (Exception ex) when (ex is IOException or ArgumentException or UnauthorizedAccessException)
            {
                // Closed or unusual descriptor: the console stream copes.
            }
        }

        return Console.OpenStandardOutput();
    }
}
