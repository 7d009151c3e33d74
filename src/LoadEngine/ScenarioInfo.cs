namespace PaySim.LoadEngine;

/// <summary>Which scenario and which copy (virtual user or open-model worker slot) runs an iteration.</summary>
public sealed record ScenarioInfo(string ScenarioName, int CopyId)
{
    /// <summary>A stable id such as "pay#3", handy for logs and idempotency keys.</summary>
    public string InstanceId { get; } = $"{ScenarioName}#{CopyId}";
}
