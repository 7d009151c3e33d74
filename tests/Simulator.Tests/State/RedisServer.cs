namespace PaySim.Simulator.Tests.State;

internal static class RedisServer
{
    public static readonly string? Path = ExternalTools.Find(ExternalTools.RedisServer);
}
