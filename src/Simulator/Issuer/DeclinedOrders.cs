using System.Collections.Concurrent;

namespace PaySim.Simulator.Issuer;

/// <summary>
/// The orders the issuer declined, to count reattempts: an Authorize for the same card token, merchant and order
/// reference as a declined one, under an idempotency key none of that order's declined calls used (no key is always a
/// new attempt). A replay of a declined call's key is that call again, not a reattempt. Card schemes limit exactly this
/// (excessive-reattempt rules); a wallet that retries a decline as if it were a network error sends it
/// (<c>InvariantsReply.declined_reattempts</c>). Calls without an order reference cannot be matched and are not counted.
/// Kept per process, for the most recently declined orders (<see cref="DefaultCapacity"/> unless told otherwise); <see cref="Clear"/> on reset.
/// Processes sharing a Redis state count together instead (<see cref="RedisDeclinedOrders"/>).
/// </summary>
internal sealed class DeclinedOrders(int capacity = DeclinedOrders.DefaultCapacity) : IDeclinedOrders
{
    public const int DefaultCapacity = 100_000;

    /// <summary>How many keys of one order are remembered; later declined keys of it are not (their replays then count).</summary>
    public const int KeysPerOrder = 16;

    private readonly ConcurrentDictionary<(string Card, string Merchant, string Order), Order> _orders = new();
    private readonly ConcurrentQueue<(string Card, string Merchant, string Order)> _oldestFirst = new();
    private int _tracked;
    private long _reattempts;

    /// <summary>Reattempts seen since the last <see cref="Clear"/>.</summary>
    public long Reattempts => Volatile.Read(ref _reattempts);

    /// <summary>Declined orders remembered now.</summary>
    public int Tracked => Volatile.Read(ref _tracked);

    /// <summary>
    /// One Authorize's answer (<paramref name="responseCode"/>): counts it when it re-sent a declined order, and remembers
    /// the order and key when it was declined itself (anything but 00 and 1A). Costs one read when nothing was declined.
    /// </summary>
    public void Observe(string? cardToken, string? merchantId, string? orderReference, string? idempotencyKey, string responseCode)
    {
        if (string.IsNullOrEmpty(orderReference))
        {
            return;
        }

        var declined = IsDecline(responseCode);
        if (!declined && Volatile.Read(ref _tracked) == 0)
        {
            return;
        }

        var id = (cardToken ?? "", merchantId ?? "", orderReference);
        var key = idempotencyKey ?? "";
        if (_orders.TryGetValue(id, out var order) || !declined)
        {
            if (order is not null && order.SeenFirst(key, remember: declined))
            {
                Interlocked.Increment(ref _reattempts);
            }

            return;
        }

        var added = new Order();
        var current = _orders.GetOrAdd(id, added);
        if (ReferenceEquals(current, added))
        {
            _oldestFirst.Enqueue(id);
            if (Interlocked.Increment(ref _tracked) > capacity && _oldestFirst.TryDequeue(out var oldest) && _orders.TryRemove(oldest, out _))
            {
                Interlocked.Decrement(ref _tracked);
            }
        }

        // Another decline of this order landed between the read and the add: this call is a reattempt of it unless it shares its key.
        if (current.SeenFirst(key, remember: true) && !ReferenceEquals(current, added))
        {
            Interlocked.Increment(ref _reattempts);
        }
    }

    /// <summary>In memory the record is made at once: <see cref="Observe"/>, and a completed task.</summary>
    public ValueTask ObserveAsync(string? cardToken, string? merchantId, string? orderReference, string? idempotencyKey, string responseCode)
    {
        Observe(cardToken, merchantId, orderReference, idempotencyKey, responseCode);
        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// Anything but approved (00), a challenge (1A) and a key reused for another request (94: the request was refused,
    /// the order was never judged) declines the order.
    /// </summary>
    public static bool IsDecline(string responseCode) =>
        responseCode is not (ResponseCodes.Approved or ResponseCodes.AuthenticationRequired or ResponseCodes.DuplicateTransmission);

    /// <summary>On reset: no declined order is remembered and the count starts at 0.</summary>
    public void Clear()
    {
        _orders.Clear();
        _oldestFirst.Clear();
        Volatile.Write(ref _tracked, 0);
        Volatile.Write(ref _reattempts, 0);
    }

    /// <summary>The keys of one order's declined calls.</summary>
    private sealed class Order
    {
        private readonly List<string> _keys = new(1);

        /// <summary>Whether <paramref name="key"/> is a new attempt at this order (no key always is); remembers it when asked.</summary>
        public bool SeenFirst(string key, bool remember)
        {
            lock (_keys)
            {
                if (key.Length > 0 && _keys.Contains(key))
                {
                    return false;
                }

                if (remember && key.Length > 0 && _keys.Count < KeysPerOrder)
                {
                    _keys.Add(key);
                }

                return true;
            }
        }
    }
}
