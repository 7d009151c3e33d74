using System.Diagnostics.CodeAnalysis;

namespace PaySim.Benchmarks.Tools;

/// <summary>The sub-commands of PaySim.Benchmarks besides the BenchmarkDotNet switcher.</summary>
internal static class ToolCatalog
{
    private static readonly ITool[] Tools =
    [
        new BareGrpcServer(),
        new BareHttpServer(),
        new GrpcBody(),
        new RawGrpcClient(),
        new EngineGrpcClient(),
        new RawHttpClient(),
        new RawSocketHttpClient(),
        new EngineHttpClient(),
        new EngineOpenModel(),
        new EngineSoak(),
        new CardholderMemory(),
        new IdleRules(),
        new SimulatorSetup(),
        new WalletSetup(),
        new SmsWaiters(),
    ];

    public static bool TryFind(string name, [NotNullWhen(true)] out ITool? tool)
    {
        tool = Tools.FirstOrDefault(t => t.Name == name);
        return tool is not null;
    }

    public static void PrintUsage(TextWriter output)
    {
        output.WriteLine("PaySim.Benchmarks tools (anything else goes to BenchmarkDotNet, e.g. --filter '*'):");
        foreach (var tool in Tools)
        {
            output.WriteLine($"  {tool.Name} {tool.Usage}");
        }
    }
}
