using System.Net;
using Microsoft.AspNetCore.Connections;

namespace PaySim.Wallet.Hosting;

/// <summary>
/// Defect <c>unbalanced</c>: the instance's listening socket is open for <see cref="Open"/> and closed for
/// <see cref="Refusing"/>, in turn, so three new connections in four are refused (a TCP reset, as from a node a stale
/// balancer pool keeps marking down and up). Connections already accepted keep working; the instance also answers every
/// request with <c>Connection: close</c> (<see cref="WalletInstance"/>), so each call needs a new connection and the
/// refusals show. A client balancing with passive health skips the instance after each refusal and sends its share to
/// the first instance, which never refuses.
/// </summary>
internal sealed class RefusingListenerFactory(IConnectionListenerFactory inner, TimeProvider time) : IConnectionListenerFactory
{
    public static readonly TimeSpan Open = TimeSpan.FromMilliseconds(250);
    public static readonly TimeSpan Refusing = TimeSpan.FromMilliseconds(750);

    public async ValueTask<IConnectionListener> BindAsync(EndPoint endpoint, CancellationToken cancellationToken = default)
    {
        var first = await inner.BindAsync(endpoint, cancellationToken);
        return new Listener(inner, first, time);
    }

    private sealed class Listener : IConnectionListener
    {
        private readonly IConnectionListenerFactory _factory;
        private readonly TimeProvider _time;
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _cycle;
        private IConnectionListener? _current;
        private TaskCompletionSource _reopened = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Listener(IConnectionListenerFactory factory, IConnectionListener first, TimeProvider time)
        {
            _factory = factory;
            _time = time;
            _current = first;
            // The port the first bind got (port 0 = ephemeral): every reopening binds that one again.
            EndPoint = first.EndPoint;
            // Each window's timer starts before the change it ends is visible, so a clock moved by a test is never missed.
            var firstOpen = Task.Delay(Open, time, _stop.Token);
            _cycle = Task.Run(() => CycleAsync(firstOpen, _stop.Token));
        }

        public EndPoint EndPoint { get; }

        public async ValueTask<ConnectionContext?> AcceptAsync(CancellationToken cancellationToken = default)
        {
            while (!_stop.IsCancellationRequested)
            {
                var reopened = Volatile.Read(ref _reopened).Task;
                var current = Volatile.Read(ref _current);
                if (current is null)
                {
                    // Refusing: nothing listens on the port; wait for the next open window.
                    await reopened.WaitAsync(cancellationToken);
                    continue;
                }

                var connection = await current.AcceptAsync(cancellationToken);
                if (connection is not null)
                {
                    return connection;
                }

                // The cycle closed this socket under the accept: go round and wait for the next one.
            }

            return null;
        }

        public async ValueTask UnbindAsync(CancellationToken cancellationToken = default)
        {
            await StopAsync();
            if (Interlocked.Exchange(ref _current, null) is { } current)
            {
                await current.UnbindAsync(cancellationToken);
            }
        }

        public async ValueTask DisposeAsync()
        {
            await StopAsync();
            if (Interlocked.Exchange(ref _current, null) is { } current)
            {
                await current.DisposeAsync();
            }

            _stop.Dispose();
        }

        private async Task StopAsync()
        {
            if (!_stop.IsCancellationRequested)
            {
                await _stop.CancelAsync();
            }

            try
            {
                await _cycle;
            }
            catch (Exception)
            {
                // Stopped mid-wait (or a reopening failed, which leaves the port closed: nothing more to stop).
            }

            Volatile.Read(ref _reopened).TrySetResult();
        }

        private async Task CycleAsync(Task firstOpen, CancellationToken ct)
        {
            var open = firstOpen;
            while (true)
            {
                await open;
                var refusing = Task.Delay(Refusing, _time, ct);
                if (Interlocked.Exchange(ref _current, null) is { } listening)
                {
                    await listening.UnbindAsync(CancellationToken.None);
                    await listening.DisposeAsync();
                }

                await refusing;
                open = Task.Delay(Open, _time, ct);
                var reopened = await _factory.BindAsync(EndPoint, ct);
                Volatile.Write(ref _current, reopened);
                Interlocked.Exchange(ref _reopened, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
            }
        }
    }
}
