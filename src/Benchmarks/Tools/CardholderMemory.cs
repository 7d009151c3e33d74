using System.Diagnostics;
using System.Text.Json;
using PaySim.Simulator.Binding;
using PaySim.Simulator.Cardholders;
using PaySim.Simulator.State;

namespace PaySim.Benchmarks.Tools;

/// <summary>
/// Simulator memory per 100,000 cardholders: the managed heap after a full, compacting GC,
/// before and after building what a simulator holds for them (the registry with its PAN and
/// phone indexes, and the issuer state whose ledger keeps a balance per card).
/// </summary>
internal sealed class CardholderMemory : ITool
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string Name => "cardholder-memory";

    public string Usage => "[--count 1000000] [--seed 42]";

    public IReadOnlyCollection<string> Options { get; } = ["count", "seed"];

    public Task<int> RunAsync(ToolArguments args)
    {
        var count = args.GetInt("count", 1_000_000, 1, 10_000_000);
        var seed = args.GetInt("seed", 42, int.MinValue, int.MaxValue);
        var before = HeapAfterFullGc();
        var started = Stopwatch.GetTimestamp();
        var registry = CardholderRegistry.Create(seed, count);
        var state = new InMemoryIssuerState(registry, new OtpOptions(), TimeProvider.System);
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var after = HeapAfterFullGc();
        GC.KeepAlive(state);
        var mb = (after - before) / 1048576.0;
        Console.WriteLine(JsonSerializer.Serialize(new
        {
            tool = Name,
            count = registry.Count,
            heapMb = mb,
            mbPer100k = mb * 100_000 / registry.Count,
            buildSeconds = seconds,
            workingSetMb = Environment.WorkingSet / 1048576.0,
        }, Json));
        return Task.FromResult(0);
    }

    private static long HeapAfterFullGc()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
