namespace PaySim.Simulator.Ledger;

/// <summary>
/// Counts the approvals of each card per idempotency key and per (merchant, order reference). Per card:
/// two cardholders paying the same merchant with the same order reference are two payments, not one
/// paid twice.
/// </summary>
internal sealed class DuplicateChargeCounter
{
    public Dictionary<(string Pan, string Key), int> ByKey { get; } = [];

    public Dictionary<(string Pan, string Merchant, string Order), int> ByOrder { get; } = [];

    /// <param name="reversed">The hold was given back in full (released, or captured and refunded): no charge by order any more.</param>
    public void Add(string pan, string idempotencyKey, string merchantId, string orderReference, bool reversed)
    {
        if (idempotencyKey.Length > 0)
        {
            var k = (pan, idempotencyKey);
            ByKey[k] = ByKey.GetValueOrDefault(k) + 1;
        }

        if (orderReference.Length > 0 && !reversed)
        {
            var k = (pan, merchantId, orderReference);
            ByOrder[k] = ByOrder.GetValueOrDefault(k) + 1;
        }
    }
}
