using System.Net;
using System.Net.Sockets;
using PaySim.Wallet.Configuration;
using PaySim.Wallet.Storage;

namespace PaySim.Wallet.Hosting;

/// <summary>
/// Starts one or more wallet instances in this process (replicas sharing one SQLite file) and stops them.
/// The load tests and the command line both go through here.
/// </summary>
public sealed class WalletHost : IAsyncDisposable
{
    private readonly IReadOnlyList<WalletInstance> _instances;
    private readonly WalletDatabase _database;
    private readonly bool _createdDatabase;
    private int _disposed;

    private WalletHost(IReadOnlyList<WalletInstance> instances, WalletDatabase database, WalletOptions options, bool createdDatabase)
    {
        _instances = instances;
        _database = database;
        _createdDatabase = createdDatabase;
        Options = options;
        Instances = instances.Select(i => new WalletInstanceInfo(i.Name, i.Uri)).ToArray();
    }

    public IReadOnlyList<WalletInstanceInfo> Instances { get; }

    public WalletOptions Options { get; }

    /// <summary>The full path of the SQLite file.</summary>
    public string DatabasePath => _database.Path;

    internal IReadOnlyList<WalletInstance> RunningInstances => _instances;

    /// <exception cref="WalletOptionsException">A field of <paramref name="options"/> is bad (all are named).</exception>
    /// <exception cref="IOException">A port is in use.</exception>
    public static async Task<WalletHost> StartAsync(WalletOptions options, CancellationToken cancellationToken = default)
    {
        WalletOptionsValidator.ThrowIfInvalid(options);
        EnsureEveryPortCanListen(options);
        var created = !File.Exists(options.DatabasePath);
        var database = await OpenDatabaseAsync(options.DatabasePath, cancellationToken);
        var started = new List<WalletInstance>();
        try
        {
            for (var i = 0; i < options.Instances; i++)
            {
                var port = options.Port == 0 ? 0 : options.Port + i;
                var number = options.FirstInstanceNumber + i;
                started.Add(await WalletInstance.StartAsync(options, $"{options.InstanceNamePrefix}-{number}", number, port, database, cancellationToken));
            }
        }
        catch
        {
            foreach (var instance in started)
            {
                await instance.DisposeAsync();
            }

            database.ReleasePooledConnections();
            if (created)
            {
                // Nothing half-done: a wallet that never served leaves no database it created behind.
                DeleteDatabaseFiles(options.DatabasePath);
            }

            throw;
        }

        return new WalletHost(started, database, options, created);
    }

    /// <summary>
    /// Binds each instance's port for a moment before anything starts, so a port in use (or a bind address this machine
    /// lacks) is refused with its one line before the database is touched and before any instance's background work
    /// (the issuer health probes, which log) has begun. A process that takes a port between this check and the
    /// instance's own bind still fails the start as before, undone, with the same line.
    /// </summary>
    private static void EnsureEveryPortCanListen(WalletOptions options)
    {
        var address = IPAddress.Parse(options.BindAddress);
        var ports = options.Port == 0 ? 1 : options.Instances;
        for (var i = 0; i < ports; i++)
        {
            var port = options.Port == 0 ? 0 : options.Port + i;
            using var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            if (address.Equals(IPAddress.IPv6Any))
            {
                // As Kestrel listens on [::]: IPv4 too.
                socket.DualMode = true;
            }

            try
            {
                socket.Bind(new IPEndPoint(address, port));
            }
            catch (SocketException e)
            {
                throw WalletInstance.CannotListen($"{options.InstanceNamePrefix}-{options.FirstInstanceNumber + i}", options.BindAddress, port, e);
            }
        }
    }

    /// <summary>
    /// Undoes a start that cannot go on (the instances stop; the database goes too when this start created it), as a
    /// start that failed is undone. <see cref="DisposeAsync"/> then has nothing left to do.
    /// </summary>
    public async ValueTask AbandonAsync()
    {
        await DisposeAsync();
        if (_createdDatabase)
        {
            DeleteDatabaseFiles(_database.Path);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        foreach (var instance in _instances)
        {
            await instance.DisposeAsync();
        }

        _database.ReleasePooledConnections();
    }

    private static void DeleteDatabaseFiles(string path)
    {
        foreach (var file in new[] { path, path + "-wal", path + "-shm" })
        {
            try
            {
                File.Delete(file);
            }
            catch (IOException)
            {
                // Best effort: the start failure is the message that matters.
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }

    /// <exception cref="WalletOptionsException">The path is a directory, unwritable or not a SQLite file.</exception>
    private static async Task<WalletDatabase> OpenDatabaseAsync(string path, CancellationToken ct)
    {
        WalletDatabase? database = null;
        try
        {
            database = new WalletDatabase(path);
            await database.InitializeAsync(ct);
            return database;
        }
        catch (Exception e) when (DatabasePathProblem.IsUserError(e))
        {
            database?.ReleasePooledConnections();
            throw DatabasePathProblem.Describe(path, e);
        }
    }
}
