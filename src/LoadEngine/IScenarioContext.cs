namespace PaySim.LoadEngine;

/// <summary>What an iteration sees. One context object per copy, reused across its iterations.</summary>
public interface IScenarioContext
{
    /// <summary>0-based, unique within the scenario across all copies (usable in idempotency keys).</summary>
    long InvocationNumber { get; }

    ScenarioInfo ScenarioInfo { get; }

    string ScenarioName { get; }

    int CopyId { get; }

    IScenarioLogger Logger { get; }

    /// <summary>Per-copy bag: survives across the iterations of one copy, never shared between copies.</summary>
    IDictionary<string, object?> Data { get; }

    /// <summary>Cancelled when the run ends (duration over, aborted by a threshold, or stopped by the caller).</summary>
    CancellationToken CancellationToken { get; }

    TimeProvider TimeProvider { get; }

    /// <summary>Stops the whole run (all scenarios) after in-flight iterations finish.</summary>
    void StopRun(string reason);
}
