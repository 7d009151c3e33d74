namespace PaySim.LoadEngine;

/// <summary>
/// A fixed set of clients (channels, HttpClients) shared by copies: copy N always gets client N mod count,
/// so a copy keeps its connection and load spreads evenly.
/// </summary>
public sealed class ClientPool<T> : IDisposable
{
    private readonly T[] _clients;
    private long _next = -1;

    public ClientPool(IEnumerable<T> clients)
    {
        ArgumentNullException.ThrowIfNull(clients);
        _clients = clients.ToArray();
        if (_clients.Length == 0)
        {
            throw new LoadConfigException($"client pool of {typeof(T).Name}: no clients.");
        }
    }

    public int Count => _clients.Length;

    public IReadOnlyList<T> Clients => _clients;

    public static ClientPool<T> Create(int count, Func<int, T> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        if (count < 1)
        {
            throw new LoadConfigException($"client pool of {typeof(T).Name}: count must be >= 1, got {count}.");
        }

        return new ClientPool<T>(Enumerable.Range(0, count).Select(factory));
    }

    /// <summary>The client of this copy (CopyId mod Count).</summary>
    public T GetClient(IScenarioContext context) => _clients[context.CopyId % _clients.Length];

    /// <summary>Round robin, for callers without a context.</summary>
    public T Next() => _clients[(int)((ulong)Interlocked.Increment(ref _next) % (ulong)_clients.Length)];

    public void Dispose()
    {
        foreach (var c in _clients)
        {
            (c as IDisposable)?.Dispose();
        }
    }
}
