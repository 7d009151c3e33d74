using System.Collections.Concurrent;
using PaySim.LoadEngine;
using PaySim.LoadTests.Cluster;
using PaySim.LoadTests.Plans;
using PaySim.LoadTests.SimulatorControl;

namespace PaySim.LoadTests.Timeline;

/// <summary>
/// Plays the plan's faults against the simulator's control plane at their offsets: a rule is posted at
/// its start and deleted at its end; a node is taken down (or NOT_SERVING) and brought back; a wallet
/// instance is crashed and restarted, or frozen and thawed (child-process signals or the user's hooks).
/// Going through HTTP keeps embedded and external simulators alike. Whatever is still active when the
/// run ends is reverted, so a failed run never leaves a node down or an instance frozen. Actions run within one
/// <see cref="Tick"/> of their offsets: the timeline checks the clock on a periodic tick from the start rather than
/// sleeping for a computed wait, so a clock that moves on between the read and the sleep (a fake one in tests, a
/// starved or suspended machine) cannot postpone an action by the time it moved.
/// </summary>
internal sealed class FaultTimeline : IAsyncDisposable
{
    /// <summary>How often the timeline looks at the clock: how late, at most, an action starts after its offset.</summary>
    public static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(10);

    private readonly ControlPlaneClient _control;
    private readonly TimeProvider _time;
    private readonly List<Planned> _actions = [];
    private readonly ConcurrentDictionary<string, Func<CancellationToken, Task<WalletActionResult?>>> _active = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<TimelineEntry> _log = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly RunEvents? _events;
    private Task? _playing;
    private PeriodicTimer? _tick;
    private long _start;

    /// <param name="wallets">Does the plan's wallet-instance events; the plan compiler only lets them through where the target has one.</param>
    /// <param name="events">Where each action is announced as it happens (the live progress); null = nowhere.</param>
    public FaultTimeline(LoadPlan plan, ControlPlaneClient control, TimeProvider time, IWalletInstanceControl? wallets = null, RunEvents? events = null)
    {
        _events = events;
        _control = control;
        _time = time;
        foreach (var f in plan.Faults)
        {
            Add($"fault {f.Name}", f.Start, f.Duration, plan.Duration, Http(ct => _control.ApplyFaultAsync(f.Rule, ct)), Http(ct => _control.ClearFaultAsync(f.Name, ct)));
        }

        foreach (var n in plan.NodeEvents.Where(e => !e.IsWallet))
        {
            var (on, off) = n.State == NodeEventState.Down ? ("down", "up") : ("not-serving", "serving");
            Add($"node {n.Node} {on}", n.Start, n.Duration, plan.Duration, Http(ct => _control.SetNodeStateAsync(n.Node, on, ct)), Http(ct => _control.SetNodeStateAsync(n.Node, off, ct)));
        }

        foreach (var w in plan.NodeEvents.Where(e => e.IsWallet))
        {
            var (on, off) = w.State == NodeEventState.Crash ? (WalletHooks.Crash, WalletHooks.Restart) : (WalletHooks.Freeze, WalletHooks.Thaw);
            Add($"wallet {w.Node} {on}", w.Start, w.Duration, plan.Duration, Wallet(wallets, w.Node, on), Wallet(wallets, w.Node, off));
        }

        _actions.Sort((a, b) => a.At.CompareTo(b.At));
    }

    public bool IsEmpty => _actions.Count == 0;

    public IReadOnlyList<TimelineEntry> Log => _log.ToArray();

    /// <summary>Starts playing in the background; offsets count from now.</summary>
    public void Start()
    {
        _start = _time.GetTimestamp();
        if (IsEmpty)
        {
            _playing = Task.CompletedTask;
            return;
        }

        // Created here, not in the background task: its ticks count from the start whenever that task gets a thread.
        var tick = new PeriodicTimer(Tick, _time);
        _tick = tick;
        _playing = Task.Run(() => PlayAsync(tick, _stop.Token));
    }

    /// <summary>Stops playing and reverts every fault still active.</summary>
    public async Task StopAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await _stop.CancelAsync().ConfigureAwait(false);
        }

        if (_playing is not null)
        {
            await _playing.ConfigureAwait(false);
        }

        _tick?.Dispose();

        foreach (var what in _active.Keys.ToArray())
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await RunAsync(new Planned(TimeSpan.Zero, what, Revert: true, NoWork), cts.Token).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _stop.Dispose();
    }

    private static Task<WalletActionResult?> NoWork(CancellationToken ct) => Task.FromResult<WalletActionResult?>(null);

    private static Func<CancellationToken, Task<WalletActionResult?>> Http(Func<CancellationToken, Task> call) => async ct =>
    {
        await call(ct).ConfigureAwait(false);
        return null;
    };

    private static Func<CancellationToken, Task<WalletActionResult?>> Wallet(IWalletInstanceControl? wallets, string instance, string action) => async ct =>
        wallets is null
            ? new WalletActionResult(action, null, "this target cannot fail wallet instances (give --wallet-hook for an external wallet)")
            : await wallets.RunAsync(instance, action, ct).ConfigureAwait(false);

    private void Add(string what, TimeSpan start, TimeSpan? duration, TimeSpan runLength, Func<CancellationToken, Task<WalletActionResult?>> apply, Func<CancellationToken, Task<WalletActionResult?>> revert)
    {
        _actions.Add(new Planned(start, what, Revert: false, async ct =>
        {
            var done = await apply(ct).ConfigureAwait(false);
            _active[what] = revert;
            return done;
        }));
        if (duration is { } d && start + d < runLength)
        {
            _actions.Add(new Planned(start + d, what, Revert: true, NoWork));
        }
    }

    private async Task PlayAsync(PeriodicTimer tick, CancellationToken ct)
    {
        foreach (var action in _actions)
        {
            try
            {
                // A tick that came while nothing waited is kept by the timer, so no moment of the clock is missed.
                while (_time.GetElapsedTime(_start) < action.At)
                {
                    if (!await tick.WaitForNextTickAsync(ct).ConfigureAwait(false))
                    {
                        return;
                    }
                }

                await RunAsync(action, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task RunAsync(Planned action, CancellationToken ct)
    {
        var at = Math.Round(_time.GetElapsedTime(_start).TotalSeconds, 3);
        var work = action.Work;
        if (action.Revert)
        {
            if (!_active.TryRemove(action.What, out var revert))
            {
                return;
            }

            work = revert;
        }

        WalletActionResult? done = null;
        string? error = null;
        try
        {
            done = await work(ct).ConfigureAwait(false);
            error = done?.Error;
        }
        catch (Exception ex) when (ex is HttpRequestException or PlanException)
        {
            error = ex.Message;
        }

        var what = action.Revert ? $"{action.What} ended" : action.What;
        _log.Enqueue(new TimelineEntry(what, at, null, error, done?.Command, done?.ExitCode));
        _events?.Announce(error is null ? what : $"{what} (failed: {error})");
    }

    private sealed record Planned(TimeSpan At, string What, bool Revert, Func<CancellationToken, Task<WalletActionResult?>> Work);
}
