using PaySim.Benchmarks.Fixtures;

namespace PaySim.Benchmarks.Tools;

/// <summary>
/// Writes the idle fault rules of the fault-decision benchmark, for the simulator-node and growth-rules pairs:
/// up to 10,000, the simulator's limit (more than 1 MiB of JSON, the control plane's body limit, so
/// perf.sh posts them in slices).
/// </summary>
internal sealed class IdleRules : ITool
{
    public string Name => "idle-rules";

    public string Usage => "--count 100 --out FILE";

    public IReadOnlyCollection<string> Options { get; } = ["count", "out"];

    public async Task<int> RunAsync(ToolArguments args)
    {
        var count = args.GetInt("count", 100, 0, 10_000);
        var path = args.RequireString("out");
        await File.WriteAllTextAsync(path, IdleFaultRules.Json(count));
        Console.WriteLine($"wrote {count} idle rules to {path}");
        return 0;
    }
}
