using PaySim.Benchmarks.Fixtures;

namespace PaySim.Benchmarks.Tools;

/// <summary>Writes the idle fault rules of the fault-decision benchmark, for the simulator-node pair.</summary>
internal sealed class IdleRules : ITool
{
    public string Name => "idle-rules";

    public string Usage => "--count 100 --out FILE";

    public IReadOnlyCollection<string> Options { get; } = ["count", "out"];

    public async Task<int> RunAsync(ToolArguments args)
    {
        var count = args.GetInt("count", 100, 0, 1000);
        var path = args.RequireString("out");
        await File.WriteAllTextAsync(path, IdleFaultRules.Json(count));
        Console.WriteLine($"wrote {count} idle rules to {path}");
        return 0;
    }
}
