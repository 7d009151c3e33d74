using Microsoft.Extensions.Logging;
using PaySim.Wallet.Configuration;
using PaySim.Wallet.Storage;

namespace PaySim.Wallet.Payments;

/// <summary>
/// One recovery pass of a resilient instance: payments and refunds nobody has written for longer than the stale
/// window are claimed (atomically in SQLite, so of several instances on one database one settles each row) and
/// settled with the issuer under their original keys. A pass takes at most <see cref="BatchSize"/> of each.
/// </summary>
internal sealed class PaymentRecovery(PaymentStore payments, AbandonedPayments abandoned, RefundRunner refunds, WalletOptions options, ILogger logger)
{
    public const int BatchSize = 50;

    private readonly TimeProvider _time = options.TimeProvider;

    /// <summary>Rows this pass claimed and rows it brought to a final state.</summary>
    public readonly record struct PassResult(int Claimed, int Settled);

    public async Task<PassResult> RunOnceAsync(CancellationToken ct)
    {
        var staleBefore = Now() - (long)StaleWindow.Of(options).TotalMilliseconds;
        int claimed = 0, settled = 0;
        foreach (var payment in await payments.ListUnsettledAsync(staleBefore, BatchSize, ct))
        {
            if (await payments.TryClaimAsync(payment, Now(), ct) is { } lease)
            {
                claimed++;
                settled += await Guarded(() => abandoned.SettleAsync(payment, lease, ct), payment.Id) ? 1 : 0;
            }
        }

        foreach (var refund in await payments.ListStaleRefundsAsync(staleBefore, BatchSize, ct))
        {
            if (await payments.TryClaimRefundAsync(refund, Now(), ct) && await payments.GetAsync(refund.PaymentId, ct) is { } payment)
            {
                claimed++;
                settled += await Guarded(async () => (await refunds.RunAsync(refund, payment, ct)).Failure is not { Status: 502 or 503 or 504 }, refund.Id) ? 1 : 0;
            }
        }

        return new PassResult(claimed, settled);
    }

    // One row's trouble (a wallet bug, the database) must not stop the others; its lease lapses and a later pass retries.
    private async Task<bool> Guarded(Func<Task<bool>> settle, string id)
    {
        try
        {
            return await settle();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "Recovery of {Id} failed; a later pass retries it", id);
            return false;
        }
    }

    private long Now() => _time.GetUtcNow().ToUnixTimeMilliseconds();
}
