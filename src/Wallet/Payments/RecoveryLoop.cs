using Microsoft.Extensions.Logging;

namespace PaySim.Wallet.Payments;

/// <summary>
/// Runs a pass every interval on the given clock until disposed (the instance stopping), one pass at a time.
/// A pass that throws is logged and the loop goes on; disposing cancels the pass in flight and waits for it.
/// </summary>
internal sealed class RecoveryLoop : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public RecoveryLoop(Func<CancellationToken, Task> pass, TimeSpan interval, TimeProvider time, ILogger logger) =>
        _loop = RunAsync(pass, interval, time, logger, _stop.Token);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }

    private static async Task RunAsync(Func<CancellationToken, Task> pass, TimeSpan interval, TimeProvider time, ILogger logger, CancellationToken ct)
    {
        using var timer = new PeriodicTimer(interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(ct))
            {
                try
                {
                    await pass(ct);
                }
                catch (Exception e) when (!ct.IsCancellationRequested)
                {
                    logger.LogError(e, "Recovery pass failed; the next one runs in {Interval}", interval);
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }
}
