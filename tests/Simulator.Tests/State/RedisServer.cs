namespace PaySim.Simulator.Tests.State;

internal static class RedisServer
{
    public const string SkipReason = "redis-server is not on PATH; scripts/install-deps.sh installs it";

    public static readonly string? Path = Find("redis-server");

    public static string? Find(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(System.IO.Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => System.IO.Path.Combine(dir, program))
            .FirstOrDefault(File.Exists);
}
