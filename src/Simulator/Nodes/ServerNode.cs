using System.Net;
using System.Net.Sockets;
using Grpc.Health.V1;
using Grpc.HealthCheck;
using PaySim.Contracts.Control.V1;

namespace PaySim.Simulator.Nodes;

/// <summary>
/// One gRPC node with its own Kestrel. DOWN stops Kestrel (connections refused, open ones aborted);
/// UP builds a fresh WebApplication on the same port. Health lives outside the app so it survives restarts.
/// </summary>
internal sealed class ServerNode(string name, string kind, IPAddress address, int port, string[] healthServices, Func<ServerNode, int, WebApplication> build) : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private WebApplication? _app;

    public string Name { get; } = name;
    public string Kind { get; } = kind;
    public int Port { get; private set; } = port;
    public NodeState State { get; private set; } = NodeState.Down;
    public HealthServiceImpl Health { get; } = new();
    public Uri Uri => new($"http://{(address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString())}:{Port}");
    public IPAddress Address => address;

    /// <summary>The running application's services (null while down): tests read the control routes from it.</summary>
    internal IServiceProvider? Services => _app?.Services;

    public NodeStatus Status() => new() { Name = Name, Kind = Kind, Address = Uri.ToString().TrimEnd('/'), State = State };

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await StartCoreAsync(cancellationToken).ConfigureAwait(false);
            SetHealth(HealthCheckResponse.Types.ServingStatus.Serving);
            State = NodeState.Up;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task SetStateAsync(NodeState state)
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            switch (state)
            {
                case NodeState.Down:
                    await StopCoreAsync().ConfigureAwait(false);
                    SetHealth(HealthCheckResponse.Types.ServingStatus.NotServing);
                    break;
                case NodeState.Up:
                case NodeState.NotServing:
                    if (_app is null)
                    {
                        await StartCoreAsync(CancellationToken.None).ConfigureAwait(false);
                    }

                    SetHealth(state == NodeState.Up ? HealthCheckResponse.Types.ServingStatus.Serving : HealthCheckResponse.Types.ServingStatus.NotServing);
                    break;
                default:
                    throw new ArgumentException($"state must be UP, DOWN or NOT_SERVING (was {state})", nameof(state));
            }

            State = state;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            await StopCoreAsync().ConfigureAwait(false);
            State = NodeState.Down;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task StartCoreAsync(CancellationToken cancellationToken)
    {
        var app = build(this, Port);
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (IsAddressInUse(e))
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw new NodeListenException($"port {Port} ({Name}) is already in use on {address}; choose another port", e);
        }
        catch (Exception e) when (FindSocketError(e) is { } socket)
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw new NodeListenException(
                socket.SocketErrorCode == SocketError.AddressNotAvailable
                    ? $"--bind: cannot listen on {address}: {socket.Message}"
                    : $"port {Port} ({Name}): cannot listen on {address}: {socket.Message}",
                e);
        }

        if (Port == 0)
        {
            Port = new Uri(app.Urls.First()).Port;
        }

        _app = app;
    }

    private async Task StopCoreAsync()
    {
        if (_app is not { } app)
        {
            return;
        }

        _app = null;
        // An already-cancelled token makes Kestrel abort open connections instead of draining them,
        // which is what a crashed node looks like to its clients.
        using var now = new CancellationTokenSource();
        await now.CancelAsync().ConfigureAwait(false);
        try
        {
            await app.StopAsync(now.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        await app.DisposeAsync().ConfigureAwait(false);
    }

    private void SetHealth(HealthCheckResponse.Types.ServingStatus status)
    {
        Health.SetStatus("", status);
        foreach (var service in healthServices)
        {
            Health.SetStatus(service, status);
        }
    }

    private static SocketException? FindSocketError(Exception e)
    {
        for (var x = e; x is not null; x = x.InnerException)
        {
            if (x is SocketException socket)
            {
                return socket;
            }
        }

        return null;
    }

    internal static bool IsAddressInUse(Exception e)
    {
        for (var x = e; x is not null; x = x.InnerException)
        {
            if (x is SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse }
                || x.GetType().Name == "AddressInUseException")
            {
                return true;
            }
        }

        return false;
    }
}
