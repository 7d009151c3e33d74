using System.IO.Pipes;
using PaySim.Contracts.CommandLine;

namespace PaySim.Contracts.Tests.CommandLine;

/// <summary>How every command line ends when the failure is not the user's input: one line and exit 3, a quiet 0 for a closed pipe, 130 for Ctrl+C.</summary>
public sealed class CommandGuardTests
{
    [Fact]
    public async Task ACommandsOwnCode_PassesThroughAndWritesNothing()
    {
        using var err = new StringWriter();

        Assert.Equal(2, await CommandGuard.RunAsync(() => Task.FromResult(2), err));
        Assert.Equal(string.Empty, err.ToString());
    }

    [Fact]
    public async Task OutputThatCannotBeWritten_IsOneLineAndExitThree()
    {
        using var err = new StringWriter();

        var code = await CommandGuard.RunAsync(() => throw new IOException("No space left on device"), err);

        Assert.Equal(CommandGuard.NotCompleted, code);
        Assert.Equal("error: could not complete: No space left on device (IOException)" + Environment.NewLine, err.ToString());
    }

    [Fact]
    public async Task AReaderThatWentAway_EndsQuietlyWithZero()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        // The runtime's own error for a write into a pipe whose reader closed (EPIPE; .NET ignores SIGPIPE).
        var broken = BrokenPipeError();
        using var err = new StringWriter();

        var code = await CommandGuard.RunAsync(() => throw broken, err);

        Assert.True(CommandGuard.IsBrokenPipe(broken), $"{broken.HResult}: {broken.Message}");
        Assert.Equal(0, code);
        Assert.Equal(string.Empty, err.ToString());
    }

    [Fact]
    public async Task CtrlC_ThatReachedTheToken_Is130()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        using var err = new StringWriter();

        var code = await CommandGuard.RunAsync(() => Task.FromCanceled<int>(cts.Token), err, cts.Token);

        Assert.Equal(CommandGuard.Interrupted, code);
        Assert.Equal(string.Empty, err.ToString());
    }

    [Fact]
    public async Task ACancellationNobodyAskedFor_IsAFaultNotAnInterrupt()
    {
        using var err = new StringWriter();

        var code = await CommandGuard.RunAsync(() => throw new OperationCanceledException("timed out"), err, CancellationToken.None);

        Assert.Equal(CommandGuard.NotCompleted, code);
        Assert.StartsWith("internal error: OperationCanceledException: timed out", err.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFaultInTheProgram_IsOneGreppableLineThenTheDetails()
    {
        using var err = new StringWriter();

        var code = await CommandGuard.RunAsync(() => throw new InvalidOperationException("state\nbroke"), err);

        Assert.Equal(CommandGuard.NotCompleted, code);
        var lines = err.ToString().Split(Environment.NewLine);
        Assert.Equal("internal error: InvalidOperationException: state broke (please report it with the lines below)", lines[0]);
        Assert.StartsWith("System.InvalidOperationException: state", lines[1], StringComparison.Ordinal);
        Assert.Contains(lines, l => l.TrimStart().StartsWith("at ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task StderrGoneToo_StillReturnsTheCode()
    {
        using var err = new FailingWriter();

        Assert.Equal(CommandGuard.NotCompleted, await CommandGuard.RunAsync(() => throw new IOException("disk full"), err));
    }

    [Fact]
    public void OtherIoErrors_AreNotABrokenPipe()
    {
        Assert.False(CommandGuard.IsBrokenPipe(new IOException("No space left on device", 28)));
        Assert.False(CommandGuard.IsBrokenPipe(new FileNotFoundException("x")));
    }

    private static IOException BrokenPipeError()
    {
        using var server = new AnonymousPipeServerStream(PipeDirection.Out);
        var client = new AnonymousPipeClientStream(PipeDirection.In, server.ClientSafePipeHandle);
        client.Dispose();
        server.DisposeLocalCopyOfClientHandle();
        try
        {
            server.Write(new byte[1024]);
            server.Flush();
        }
        catch (IOException ex)
        {
            return ex;
        }

        throw new InvalidOperationException("writing into a pipe nobody reads did not fail");
    }

    private sealed class FailingWriter : StringWriter
    {
        public override void WriteLine(string? value) => throw new IOException("stderr closed");
    }
}
