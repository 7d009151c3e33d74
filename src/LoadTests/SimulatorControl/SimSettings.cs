namespace PaySim.LoadTests.SimulatorControl;

/// <summary>What the simulator was started with that a plan must fit (GET /v1/settings); a field it does not report is null.</summary>
internal sealed record SimSettings(TimeSpan? ResendCooldown);
