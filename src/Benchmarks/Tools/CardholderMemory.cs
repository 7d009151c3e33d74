using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using PaySim.Simulator.Binding;
using PaySim.Simulator.Cardholders;
using PaySim.Simulator.Ledger;
using PaySim.Simulator.State;

namespace PaySim.Benchmarks.Tools;

/// <summary>
/// What a simulator's cardholders and holds cost in memory: the managed heap after a full, compacting GC,
/// before and after building the registry and the issuer state for <c>--count</c> cardholders (cards are
/// derived on demand, so this should not grow with the count), then after <c>--holds</c> approved holds
/// (spread over up to 10,000 cards, whose accounts they open; each with a merchant, an order and an
/// idempotency key, as an Authorize makes them). Also the process working set after each step.
/// </summary>
internal sealed class CardholderMemory : ITool
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string Name => "cardholder-memory";

    public string Usage => "[--count 100000000] [--holds 0] [--seed 42]";

    public IReadOnlyCollection<string> Options { get; } = ["count", "holds", "seed"];

    public Task<int> RunAsync(ToolArguments args)
    {
        var count = args.GetInt("count", CardholderGenerator.MaxCount, 1, CardholderGenerator.MaxCount);
        var holds = args.GetInt("holds", 0, 0, 20_000_000);
        var seed = args.GetInt("seed", 42, int.MinValue, int.MaxValue);
        var before = HeapAfterFullGc();
        var started = Stopwatch.GetTimestamp();
        var registry = CardholderRegistry.Create(seed, count);
        var state = new InMemoryIssuerState(registry, new OtpOptions(), TimeProvider.System);
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var built = HeapAfterFullGc();
        var builtWorkingSet = Environment.WorkingSet;

        var cards = Math.Min(count, 10_000);
        var pans = new string[cards];
        var generator = new CardholderGenerator(seed);
        for (var i = 0; i < cards; i++)
        {
            pans[i] = generator.Generate(i).Pan;
        }

        var withPans = HeapAfterFullGc();
        var day = DateOnly.FromDateTime(DateTime.UtcNow);
        var approved = 0;
        for (var i = 0; i < holds; i++)
        {
            var n = i.ToString("x8", CultureInfo.InvariantCulture);
            var r = state.Ledger.Hold(new HoldRequest(pans[i % cards], 1, long.MaxValue, "m-" + (i % 50), "order-" + n, "key-" + n, day, "tok-" + n, "issuer-1", 1));
            approved += r.Outcome == LedgerOutcome.Approved ? 1 : 0;
        }

        var held = HeapAfterFullGc();
        GC.KeepAlive(state);
        GC.KeepAlive(pans);
        var mb = (built - before) / 1048576.0;
        var holdsMb = (held - withPans) / 1048576.0;
        Console.WriteLine(JsonSerializer.Serialize(new
        {
            tool = Name,
            count = registry.Count,
            heapMb = mb,
            mbPer100k = mb * 100_000 / registry.Count,
            buildSeconds = seconds,
            workingSetMb = builtWorkingSet / 1048576.0,
            holds = approved,
            holdsMb,
            mbPerMillionHolds = approved == 0 ? 0 : holdsMb * 1_000_000 / approved,
            workingSetAfterHoldsMb = Environment.WorkingSet / 1048576.0,
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
