using BenchmarkDotNet.Attributes;
using PaySim.Simulator.Ledger;

namespace PaySim.Benchmarks.Micro.Simulator;

/// <summary>
/// One page of the issuer's ledger read (GET /v1/ledger) out of an in-memory ledger of 1,000,000 holds:
/// 10,000 rows from the start, the same from near the end, and the head cursor alone. The page from the
/// end must cost what the page from the start does (a page finds its first row by number, it never scans
/// the rows before it), and a page allocates its rows and their texts, nothing in proportion to the ledger.
/// </summary>
[MemoryDiagnoser]
public class LedgerPageBenchmarks
{
    private const int Holds = 1_000_000;
    private const int Limit = 10_000;
    private static readonly DateOnly Today = new(2026, 11, 23);
    private InMemoryLedger _ledger = null!;
    private LedgerCursor _nearEnd;

    [GlobalSetup]
    public void Setup()
    {
        string[] pans = ["6200000000000001", "6200000000000002", "6200000000000003", "6200000000000004"];
        _ledger = new InMemoryLedger(pans.Select(p => KeyValuePair.Create(p, long.MaxValue / 8)));
        for (var i = 0; i < Holds; i++)
        {
            _ledger.Hold(new HoldRequest(pans[i & 3], 1 + (i % 5_000), long.MaxValue, "m-bench", "order-" + i, "w1-key-" + i, Today, "tok_bench", "issuer-1", 1_700_000_000_000 + i));
        }

        var head = _ledger.ReadPage(null, 0).Next;
        _nearEnd = head with { Sequence = head.Sequence - Limit - 1 };
    }

    [Benchmark(Baseline = true, Description = "page of 10,000 from the start (1M rows)")]
    public int FromStart() => _ledger.ReadPage(null, Limit).Rows.Count;

    [Benchmark(Description = "page of 10,000 near the end (1M rows)")]
    public int NearEnd() => _ledger.ReadPage(_nearEnd, Limit).Rows.Count;

    [Benchmark(Description = "head cursor only (limit 0)")]
    public long Head() => _ledger.ReadPage(null, 0).Next.Sequence;
}
