using Grpc.Net.Client.Balancer;

namespace PaySim.Wallet.Balancing;

/// <summary>
/// A static resolver over the configured issuer nodes that publishes only the ones the
/// <see cref="NodeHealthMonitor"/> considers usable, so every balancing policy — built-in or ours — skips
/// NOT_SERVING and ejected nodes. Channel address: <c>paysim-nodes:///issuer</c>.
/// </summary>
internal sealed class HealthAwareResolverFactory(NodeHealthMonitor monitor) : ResolverFactory
{
    public const string Scheme = "paysim-nodes";

    public override string Name => Scheme;

    public override Resolver Create(ResolverOptions options) => new HealthAwareResolver(monitor);

    private sealed class HealthAwareResolver(NodeHealthMonitor monitor) : Resolver
    {
        private Action<ResolverResult>? _listener;

        public override void Start(Action<ResolverResult> listener)
        {
            _listener = listener;
            monitor.Changed += Publish;
            Publish();
        }

        public override void Refresh() => Publish();

        protected override void Dispose(bool disposing)
        {
            monitor.Changed -= Publish;
            base.Dispose(disposing);
        }

        private void Publish() => _listener?.Invoke(ResolverResult.ForResult(monitor.UsableAddresses));
    }
}
