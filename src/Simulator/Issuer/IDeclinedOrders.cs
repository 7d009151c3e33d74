namespace PaySim.Simulator.Issuer;

/// <summary>
/// The orders the issuer declined, to count reattempts (<c>InvariantsReply.declined_reattempts</c>): in this process
/// (<see cref="DeclinedOrders"/>), or shared by every process of a cluster on Redis state (<see cref="RedisDeclinedOrders"/>).
/// </summary>
internal interface IDeclinedOrders
{
    /// <summary>Reattempts seen since the last <see cref="Clear"/>.</summary>
    long Reattempts { get; }

    /// <summary>One Authorize's answer: counts it when it re-sent a declined order, remembers the order and key when it was declined itself.</summary>
    void Observe(string? cardToken, string? merchantId, string? orderReference, string? idempotencyKey, string responseCode);

    /// <summary>
    /// <see cref="Observe"/> without blocking a thread on a shared store: done once a decline is recorded where the next
    /// attempt will look (before its reply goes out), at once for anything else and in memory.
    /// </summary>
    ValueTask ObserveAsync(string? cardToken, string? merchantId, string? orderReference, string? idempotencyKey, string responseCode);

    /// <summary>On reset: no declined order is remembered and the count starts at 0.</summary>
    void Clear();
}
