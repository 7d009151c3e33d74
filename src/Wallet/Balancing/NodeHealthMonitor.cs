using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using Grpc.Net.Client.Balancer;
using Microsoft.Extensions.Logging;
using PaySim.Wallet.Configuration;
using PaySim.Wallet.Defects;

namespace PaySim.Wallet.Balancing;

/// <summary>
/// Decides which issuer nodes the balancer may use: probes each node's grpc.health.v1 service every
/// <see cref="WalletOptions.HealthCheckInterval"/> (NOT_SERVING, refused or slow = out), and ejects a node for
/// <see cref="WalletOptions.OutlierEjectionTime"/> after <see cref="WalletOptions.OutlierConsecutiveFailures"/>
/// failed calls in a row reported by the balancer. When no node qualifies, all are offered (Envoy's panic mode):
/// trying a maybe-dead node beats failing every call.
/// </summary>
internal sealed class NodeHealthMonitor : IAsyncDisposable
{
    private readonly Node[] _nodes;
    private readonly WalletOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();

    // Defect no-health-check: a probe that answers at all counts as healthy, whatever status it reports.
    private readonly bool _ignoreNotServing;
    private readonly Lock _gate = new();
    private IReadOnlyList<BalancerAddress> _current;
    private Task _loop = Task.CompletedTask;

    public NodeHealthMonitor(IReadOnlyList<Uri> nodes, WalletOptions options, ILoggerFactory loggerFactory)
    {
        _options = options;
        _time = options.TimeProvider;
        _logger = loggerFactory.CreateLogger<NodeHealthMonitor>();
        _ignoreNotServing = WalletDefects.IsOn(options.Defects, WalletDefects.NoHealthCheck);
        _nodes = nodes.Select(uri => new Node(uri, GrpcChannel.ForAddress(uri, new GrpcChannelOptions { LoggerFactory = loggerFactory }))).ToArray();
        _current = _nodes.Select(n => n.Address).ToArray();
    }

    /// <summary>Raised (on a background thread) when the set of usable addresses changes.</summary>
    public event Action? Changed;

    public IReadOnlyList<BalancerAddress> UsableAddresses
    {
        get
        {
            lock (_gate)
            {
                return _current;
            }
        }
    }

    public void Start() => _loop = Task.Run(() => RunAsync(_stop.Token));

    /// <summary>Called by the balancers' call trackers when a call on <paramref name="address"/> completes.</summary>
    public void ReportCallOutcome(BalancerAddress? address, bool failed)
    {
        if (address is null)
        {
            return;
        }

        var node = Array.Find(_nodes, n => n.Address.EndPoint.Port == address.EndPoint.Port && n.Address.EndPoint.Host == address.EndPoint.Host);
        if (node is null)
        {
            return;
        }

        if (!failed)
        {
            Interlocked.Exchange(ref node.ConsecutiveFailures, 0);
            return;
        }

        if (Interlocked.Increment(ref node.ConsecutiveFailures) >= _options.OutlierConsecutiveFailures)
        {
            Interlocked.Exchange(ref node.ConsecutiveFailures, 0);
            Volatile.Write(ref node.EjectedUntilTicks, (_time.GetUtcNow() + _options.OutlierEjectionTime).UtcTicks);
            _logger.LogWarning("Ejecting issuer node {Node} for {Time} after {Failures} failed calls in a row", node.Uri, _options.OutlierEjectionTime, _options.OutlierConsecutiveFailures);
            Recompute();
        }
    }

    /// <summary>Probes every node once and republishes; the background loop calls this each interval.</summary>
    public async Task ProbeAllAsync(CancellationToken ct)
    {
        await Task.WhenAll(_nodes.Select(n => ProbeAsync(n, ct)));
        Recompute();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _loop;
        }
        catch (Exception)
        {
            // Stopping: whatever the last probe round was doing no longer matters.
        }

        foreach (var node in _nodes)
        {
            node.Channel.Dispose();
        }

        _stop.Dispose();
    }

    private async Task RunAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(_options.HealthCheckInterval, _time);
        do
        {
            if (ct.IsCancellationRequested)
            {
                return;
            }

            try
            {
                await ProbeAllAsync(ct);
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                _logger.LogWarning(e, "Health probe round failed");
            }
        }
        while (await timer.WaitForNextTickAsync(ct));
    }

    private async Task ProbeAsync(Node node, CancellationToken ct)
    {
        using var timeout = new CancellationTokenSource(_options.HealthCheckTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, timeout.Token);
        bool healthy;
        try
        {
            var reply = await node.Client.CheckAsync(new HealthCheckRequest { Service = _options.HealthCheckService }, cancellationToken: linked.Token);
            healthy = reply.Status == HealthCheckResponse.Types.ServingStatus.Serving || _ignoreNotServing;
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.Unimplemented)
        {
            // A node without a health service cannot say it is sick; the transport state still guards it.
            healthy = true;
        }
        catch (RpcException) when (!ct.IsCancellationRequested)
        {
            healthy = false;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            healthy = false;
        }
        catch (Exception) when (ct.IsCancellationRequested)
        {
            // The monitor is stopping; nothing to record.
            return;
        }

        if (node.Healthy != healthy)
        {
            _logger.LogWarning("Issuer node {Node} is now {State}", node.Uri, healthy ? "healthy" : "unhealthy");
        }

        node.Healthy = healthy;
    }

    /// <summary>Republishes the usable set (ejections expire here; the probe loop calls it every interval).</summary>
    internal void Recompute()
    {
        var nowTicks = _time.GetUtcNow().UtcTicks;
        var usable = _nodes.Where(n => n.Healthy && Volatile.Read(ref n.EjectedUntilTicks) <= nowTicks).Select(n => n.Address).ToArray();
        if (usable.Length == 0)
        {
            usable = _nodes.Select(n => n.Address).ToArray();
        }

        bool changed;
        lock (_gate)
        {
            changed = !usable.SequenceEqual(_current);
            if (changed)
            {
                _current = usable;
            }
        }

        if (changed)
        {
            Changed?.Invoke();
        }
    }

    private sealed class Node(Uri uri, GrpcChannel channel)
    {
        public long ConsecutiveFailures;
        public long EjectedUntilTicks;

        public Uri Uri { get; } = uri;

        public GrpcChannel Channel { get; } = channel;

        public Health.HealthClient Client { get; } = new(channel);

        public BalancerAddress Address { get; } = new(uri.Host, uri.Port);

        public volatile bool Healthy = true;
    }
}
