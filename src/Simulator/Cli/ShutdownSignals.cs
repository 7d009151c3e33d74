using System.Runtime.InteropServices;

namespace PaySim.Simulator.Cli;

/// <summary>
/// The first Ctrl+C (SIGINT) or SIGTERM cancels <see cref="Token"/> and the program shuts down in its own
/// time (a load run reverts faults and writes its report; the simulator stops its nodes); a second Ctrl+C
/// (or SIGTERM) quits at once, as k6 does. Registered in Program.cs before anything starts, so no signal finds the
/// process without a handler, and the command line's own 2-second termination timer is not used.
/// </summary>
public sealed class ShutdownSignals : IDisposable
{
    private readonly CancellationTokenSource _cancel = new();
    private readonly PosixSignalRegistration? _sigterm;
    private readonly TextWriter _stderr;
    private string _notice;
    private int _count;

    /// <param name="notice">Printed after the signal's name on the first signal, e.g. "stopping".</param>
    public ShutdownSignals(TextWriter stderr, string notice)
    {
        _stderr = stderr;
        _notice = notice;
        Console.CancelKeyPress += OnCancelKeyPress;
        if (!OperatingSystem.IsWindows())
        {
            _sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, ctx =>
            {
                // As for Ctrl+C, only the first is cancelled: a second SIGTERM ends the process at once.
                ctx.Cancel = Interlocked.CompareExchange(ref _count, 0, 0) == 0;
                Interrupt("SIGTERM");
            });
        }
    }

    public CancellationToken Token => _cancel.Token;

    /// <summary>
    /// What the first signal's line says after its name; set once the command is known (the simulator's
    /// <c>cardholders</c> export stops the export, not a simulator).
    /// </summary>
    public string Notice
    {
        get => Volatile.Read(ref _notice);
        set => Volatile.Write(ref _notice, value);
    }

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
            _stderr.WriteLine($"{what}: {Notice}");
            _cancel.Cancel();
        }
    }
}
