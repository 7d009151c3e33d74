namespace PaySim.LoadEngine.Running;

/// <summary>One per copy; reused for every iteration of that copy, so an iteration allocates no context.</summary>
internal sealed class ScenarioContext : IScenarioContext, IThreadPoolWorkItem
{
    private readonly ScenarioRuntime _runtime;
    private readonly Action _onCompleted;
    private ValueTask _pending;

    public ScenarioContext(ScenarioRuntime runtime, int copyId)
    {
        _runtime = runtime;
        ScenarioInfo = new ScenarioInfo(runtime.Props.Name, copyId);
        _onCompleted = OnIterationCompleted;
    }

    public long InvocationNumber { get; internal set; }

    public ScenarioInfo ScenarioInfo { get; }

    public string ScenarioName => ScenarioInfo.ScenarioName;

    public int CopyId => ScenarioInfo.CopyId;

    public IScenarioLogger Logger => _runtime.Logger;

    public IDictionary<string, object?> Data { get; } = new Dictionary<string, object?>(StringComparer.Ordinal);

    public CancellationToken CancellationToken => _runtime.RunToken;

    public TimeProvider TimeProvider => _runtime.Time;

    internal ScenarioRuntime Runtime => _runtime;

    /// <summary>Open model: when this iteration was due (timestamp).</summary>
    internal long IntendedStart { get; set; }

    /// <summary>False during warm-up: the iteration runs but is not counted.</summary>
    internal bool Record { get; set; }

    public void StopRun(string reason) => _runtime.Engine.Stop($"stopped by scenario \"{ScenarioName}\": {reason}");

    // Open model: the context itself is the thread-pool work item and the completion callback,
    // so starting and finishing an iteration allocates no closure, task or work item.
    void IThreadPoolWorkItem.Execute()
    {
#pragma warning disable CA2012 // kept in a field and consumed exactly once (awaited or its result read) below: the allocation-free hot path
        _pending = _runtime.RunIterationAsync(this, IntendedStart);
#pragma warning restore CA2012
        if (_pending.IsCompleted)
        {
            OnIterationCompleted();
        }
        else
        {
            _pending.GetAwaiter().UnsafeOnCompleted(_onCompleted);
        }
    }

    private void OnIterationCompleted()
    {
        var pending = _pending;
        _pending = default;
        try
        {
            pending.GetAwaiter().GetResult();
        }
        catch (Exception ex)
        {
            // RunIterationAsync turns failures into responses; this is only a last line of defence.
            Logger.Error($"scenario \"{ScenarioName}\" iteration crashed", ex);
        }
        finally
        {
            _runtime.CompleteOpenIteration(this);
        }
    }
}
