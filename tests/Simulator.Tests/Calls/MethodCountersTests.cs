using PaySim.Simulator.Calls;


namespace PaySim.Simulator.Tests.Calls;

public sealed class MethodCountersTests
{
    [Fact]
    public void Counts_from_many_threads_add_up_across_the_stripes()
    {
        var counters = new MethodCounters();

        Parallel.For(0, 80_000, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            counters.AddCall();
            if (i % 4 == 0)
            {
                counters.AddError();
            }

            if (i % 10 == 0)
            {
                counters.AddDecline();
            }

            counters.RecordLatency(TimeSpan.FromMilliseconds(1 + (i % 1000)));
        });

        Assert.Equal(80_000, counters.Calls);
        Assert.Equal(20_000, counters.Errors);
        Assert.Equal(8_000, counters.Declines);
        var (p50, p99) = counters.LatencyPercentiles()!.Value;
        Assert.InRange(p50, 495, 506);
        Assert.InRange(p99, 985, 1_000);
    }

    [Fact]
    public void Without_a_finished_call_there_are_no_percentiles_and_latencies_are_clamped_to_the_range()
    {
        var counters = new MethodCounters();
        Assert.Null(counters.LatencyPercentiles());

        counters.RecordLatency(TimeSpan.Zero);
        counters.RecordLatency(TimeSpan.FromHours(5));

        var (p50, p99) = counters.LatencyPercentiles()!.Value;
        Assert.Equal(0.001, p50);
        Assert.InRange(p99, 3_599_000, 3_601_000);
    }
}
