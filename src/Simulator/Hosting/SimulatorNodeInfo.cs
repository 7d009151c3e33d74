namespace PaySim.Simulator.Hosting;

/// <summary>One listening node: its name (issuer-1.., sms), kind (issuer, sms) and address.</summary>
public sealed record SimulatorNodeInfo(string Name, string Kind, Uri Uri)
{
    public int Port => Uri.Port;
}
