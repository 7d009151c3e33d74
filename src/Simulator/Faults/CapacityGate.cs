namespace PaySim.Simulator.Faults;

/// <summary>
/// The queue in front of one node for one capacity rule. The host awaits <see cref="EnterAsync"/>
/// before the handler and calls <see cref="Exit"/> after it.
/// </summary>
public sealed class CapacityGate
{
    private readonly SemaphoreSlim _semaphore;
    private long _waiting;

    public CapacityGate(int maxConcurrent)
    {
        MaxConcurrent = maxConcurrent;
        _semaphore = new SemaphoreSlim(maxConcurrent, maxConcurrent);
    }

    public int MaxConcurrent { get; }

    /// <summary>Calls waiting for a slot right now.</summary>
    public long Waiting => Interlocked.Read(ref _waiting);

    /// <summary>Calls holding a slot right now.</summary>
    public int InFlight => MaxConcurrent - _semaphore.CurrentCount;

    public ValueTask EnterAsync(CancellationToken cancellationToken)
    {
        if (_semaphore.Wait(0, CancellationToken.None))
        {
            return ValueTask.CompletedTask;
        }

        return new ValueTask(WaitAsync(cancellationToken));
    }

    public void Exit() => _semaphore.Release();

    private async Task WaitAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _waiting);
        try
        {
            await _semaphore.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Decrement(ref _waiting);
        }
    }
}
