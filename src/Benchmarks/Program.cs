using PaySim.Benchmarks.Tools;

namespace PaySim.Benchmarks;

/// <summary>
/// Two faces in one executable: the BenchmarkDotNet micro-benchmarks (any arguments that are
/// not a tool name go to <see cref="BenchmarkDotNet.Running.BenchmarkSwitcher"/>), and the small
/// macro tools that scripts/perf.sh starts as separate processes (bare servers, client loops).
/// </summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args.Length > 0 && ToolCatalog.TryFind(args[0], out var tool))
        {
            if (args.Skip(1).Any(a => a is "--help" or "-h"))
            {
                Console.WriteLine($"{tool.Name} {tool.Usage}");
                return 0;
            }

            try
            {
                return await tool.RunAsync(ToolArguments.Parse(args[0], args[1..]));
            }
            catch (UsageException e)
            {
                await Console.Error.WriteLineAsync($"{args[0]}: {e.Message}");
                return 2;
            }
            catch (Exception e) when (e is InvalidOperationException or HttpRequestException or Grpc.Core.RpcException or IOException)
            {
                // A target that is not there or not ready: one line for the script's log.
                await Console.Error.WriteLineAsync($"{args[0]}: {e.GetType().Name}: {e.Message}");
                return 1;
            }
        }

        if (args.Length > 0 && args[0] is "tools" or "--tools")
        {
            ToolCatalog.PrintUsage(Console.Out);
            return 0;
        }

        return MicroBenchmarks.Run(args);
    }
}
