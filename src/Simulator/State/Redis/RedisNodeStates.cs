using System.Text.Json;
using System.Threading.Channels;
using PaySim.Contracts.Control.V1;
using StackExchange.Redis;
using PaySim.Simulator.Nodes;

namespace PaySim.Simulator.State.Redis;

/// <summary>
/// Node states set through a control plane, shared by every process of a cluster: the "nodes" document maps
/// node names to the state last set explicitly (<c>{"issuer-2":"DOWN"}</c>; absent = UP). Each process makes
/// its own node of the same name match. States driven by fault rules never go through here: the rules
/// themselves are shared, and every process's scheduler derives the same states from them.
/// </summary>
internal sealed class RedisNodeStates : IAsyncDisposable
{
    public const string DocumentName = "nodes";

    private readonly RedisSharedDocument _document;
    private readonly Func<string, NodeState, Task> _apply;
    private readonly Lock _lock = new();
    private readonly SemaphoreSlim _reconciling = new(1, 1);
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly CancellationTokenSource _stopping = new();

    // What the document said the last time this process made its nodes match it (absent = UP).
    private readonly Dictionary<string, NodeState> _applied = new(StringComparer.OrdinalIgnoreCase);
    private Dictionary<string, NodeState> _latest = new(StringComparer.OrdinalIgnoreCase);
    private long _latestVersion;
    private Task? _worker;

    /// <param name="apply">Sets a local node (throws <see cref="KeyNotFoundException"/> for a name this process does not have).</param>
    public RedisNodeStates(IConnectionMultiplexer redis, RedisKeys keys, Func<string, NodeState, Task> apply)
    {
        _apply = apply;
        _document = new RedisSharedDocument(redis, keys, DocumentName, (json, version) => Offer(Parse(json), version));
    }

    /// <summary>Failures while applying a remote state (a port taken meanwhile): the node keeps its state, the document is not retried.</summary>
    public event Action<string, NodeState, Exception>? ApplyFailed;

    /// <summary>Applies the document in force (a process joining late), then follows changes. Call once the nodes listen.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var (json, version) = _document.Read();
        if (json is not null)
        {
            Offer(Parse(json), version);
        }

        await ReconcileAsync(cancellationToken).ConfigureAwait(false);
        _worker = Task.Run(RunAsync, CancellationToken.None);
    }

    /// <summary>Records a state this process's control plane has just set, for every other process.</summary>
    public void Publish(string node, NodeState state)
    {
        lock (_lock)
        {
            _applied[node] = state;
        }

        var (json, version) = _document.Update(current =>
        {
            var states = current is null ? new Dictionary<string, NodeState>(StringComparer.OrdinalIgnoreCase) : Parse(current);
            states[node] = state;
            return Serialize(states);
        });

        // The stored document may carry another process's change whose notification this process will now
        // skip (older version), so it is reconciled here like a remote one.
        Offer(Parse(json), version);
    }

    /// <summary>Reset: every node UP in every process, this one included.</summary>
    public void PublishAllUp()
    {
        var version = _document.Publish("{}");
        Offer(new Dictionary<string, NodeState>(StringComparer.OrdinalIgnoreCase), version);
    }

    public async ValueTask DisposeAsync()
    {
        _document.Dispose();
        _wake.Writer.TryComplete();
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_worker is not null)
        {
            try
            {
                await _worker.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }

        _stopping.Dispose();
    }

    internal static string Serialize(IReadOnlyDictionary<string, NodeState> states) =>
        JsonSerializer.Serialize(new SortedDictionary<string, string>(states.ToDictionary(s => s.Key, s => NodeStateNames.Name(s.Value)), StringComparer.Ordinal));

    /// <summary>Entries with a state this version does not know are ignored (a newer writer).</summary>
    internal static Dictionary<string, NodeState> Parse(string json)
    {
        var states = new Dictionary<string, NodeState>(StringComparer.OrdinalIgnoreCase);
        try
        {
            foreach (var (node, name) in JsonSerializer.Deserialize<Dictionary<string, string>>(json) ?? [])
            {
                var state = name switch
                {
                    "UP" => NodeState.Up,
                    "DOWN" => NodeState.Down,
                    "NOT_SERVING" => NodeState.NotServing,
                    _ => NodeState.Unspecified,
                };
                if (state != NodeState.Unspecified)
                {
                    states[node] = state;
                }
            }
        }
        catch (JsonException)
        {
        }

        return states;
    }

    private void Offer(Dictionary<string, NodeState> states, long version)
    {
        lock (_lock)
        {
            if (version <= _latestVersion)
            {
                return;
            }

            _latest = states;
            _latestVersion = version;
        }

        _wake.Writer.TryWrite(true);
    }

    private async Task RunAsync()
    {
        try
        {
            while (await _wake.Reader.WaitToReadAsync(_stopping.Token).ConfigureAwait(false))
            {
                _wake.Reader.TryRead(out _);
                await ReconcileAsync(_stopping.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    // Applies only the entries that changed since the last reconcile, so a node this process drives by a fault
    // rule (or that nobody touched) is left alone; bursts collapse into the latest document.
    private async Task ReconcileAsync(CancellationToken cancellationToken)
    {
        await _reconciling.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            List<(string Node, NodeState State)> changes;
            lock (_lock)
            {
                changes = _latest.Keys.Union(_applied.Keys, StringComparer.OrdinalIgnoreCase)
                    .Select(node => (Node: node, Want: _latest.GetValueOrDefault(node, NodeState.Up), Had: _applied.GetValueOrDefault(node, NodeState.Up)))
                    .Where(c => c.Want != c.Had)
                    .Select(c => (c.Node, c.Want))
                    .ToList();
            }

            foreach (var (node, state) in changes)
            {
                cancellationToken.ThrowIfCancellationRequested();
                try
                {
                    await _apply(node, state).ConfigureAwait(false);
                }
                catch (KeyNotFoundException)
                {
                    // A process with fewer nodes has no node of that name.
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    ApplyFailed?.Invoke(node, state, e);
                }

                lock (_lock)
                {
                    _applied[node] = state;
                }
            }
        }
        finally
        {
            _reconciling.Release();
        }
    }
}
