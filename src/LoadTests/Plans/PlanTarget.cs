namespace PaySim.LoadTests.Plans;

/// <summary>Where the load goes: the in-process cluster, or a wallet and simulator already running elsewhere.</summary>
internal sealed record PlanTarget
{
    public bool IsEmbedded => External is null;

    public EmbeddedTarget Embedded { get; init; } = new();

    public ExternalTarget? External { get; init; }
}
