using System.Runtime.InteropServices;

namespace PaySim.LoadTests.Cli;

/// <summary>
/// The first Ctrl+C (SIGINT) or SIGTERM cancels the token: the run stops its load, reverts faults and
/// wallet events, writes a partial report with <c>"aborted": true</c> and exits 130. A second Ctrl+C
/// quits at once, as k6 does.
/// </summary>
internal sealed class InterruptSignals : IDisposable
{
    private readonly CancellationTokenSource _cancel = new();
    private readonly PosixSignalRegistration? _sigterm;
    private readonly TextWriter _stderr;
    private int _count;

    public InterruptSignals(TextWriter stderr)
    {
        _stderr = stderr;
        Console.CancelKeyPress += OnCancelKeyPress;
        if (!OperatingSystem.IsWindows())
        {
            _sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, ctx =>
            {
                ctx.Cancel = true;
                Interrupt("SIGTERM");
            });
        }
    }

    public CancellationToken Token => _cancel.Token;

    public void Dispose()
    {
        Console.CancelKeyPress -= OnCancelKeyPress;
        _sigterm?.Dispose();
        _cancel.Dispose();
    }

    private void OnCancelKeyPress(object? sender, ConsoleCancelEventArgs e)
    {
        // The second one is not cancelled: the runtime ends the process.
        e.Cancel = Interlocked.CompareExchange(ref _count, 0, 0) == 0;
        Interrupt("Ctrl+C");
    }

    private void Interrupt(string what)
    {
        if (Interlocked.Increment(ref _count) == 1)
        {
            _stderr.WriteLine($"{what}: stopping the load, reverting faults, writing the report (Ctrl+C again to quit at once)");
            _cancel.Cancel();
        }
    }
}
