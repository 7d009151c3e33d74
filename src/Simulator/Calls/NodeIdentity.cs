namespace PaySim.Simulator.Calls;

/// <summary>The node a WebApplication serves as, injected into its services and its CallDoor.</summary>
internal sealed record NodeIdentity(string Name, string Kind);
