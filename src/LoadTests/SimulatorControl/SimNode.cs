namespace PaySim.LoadTests.SimulatorControl;

/// <summary>A node the control plane knows (GET /v1/nodes): kind is "issuer" or "sms".</summary>
internal sealed record SimNode(string Name, string Kind, string Address, string State);
