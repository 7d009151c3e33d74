using PaySim.LoadEngine.Scheduling;

namespace PaySim.LoadEngine.Tests.Scheduling;

public sealed class ArrivalScheduleTests
{
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    [Theory]
    [InlineData(0.5, 3600, 1800)]
    [InlineData(1234.5, 600, 740_700)]
    [InlineData(12.5, 2, 25)]
    [InlineData(1, 10, 10)]
    [InlineData(0.3, 10, 3)]
    [InlineData(2000, 1, 2000)]
    public void Inject_AtFractionalRate_SchedulesExactlyRateTimesDuration(double rate, int seconds, long expected)
    {
        var count = ArrivalSchedule.CountArrivals([LoadSimulation.Inject(rate, Second, TimeSpan.FromSeconds(seconds))], seed: 1);

        Assert.Equal(expected, count);
    }

    [Fact]
    public void Inject_WithLongerInterval_DividesTheRateByTheInterval()
    {
        // 1 per 2 s is 0.5/s: starts at 0, 2, 4, 6, 8.
        var schedule = ArrivalSchedule.Build([LoadSimulation.Inject(1, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(10))], 1);
        var times = new List<double>();
        for (long k = 0; schedule.TryGetArrival(k, out var t); k++)
        {
            times.Add(t);
        }

        Assert.Equal([0, 2, 4, 6, 8], times);
    }

    [Fact]
    public void Inject_StartTimes_AreEvenlySpacedWithoutDrift()
    {
        var schedule = ArrivalSchedule.Build([LoadSimulation.Inject(1234.5, Second, TimeSpan.FromSeconds(600))], 1);
        Assert.True(schedule.TryGetArrival(740_699, out var last));

        // t_k = k / rate, computed directly, not by adding 1/rate 740,699 times.
        Assert.Equal(740_699 / 1234.5, last, 9);
    }

    [Fact]
    public void RampingInject_FromZeroToHundred_StartsTheAreaUnderTheRamp()
    {
        var count = ArrivalSchedule.CountArrivals([LoadSimulation.RampingInject(100, Second, TimeSpan.FromSeconds(10))], 1);

        Assert.InRange(count, 499, 501);
    }

    [Fact]
    public void CumulativeAt_IsTheAreaUnderTheRate_ZeroBeforeTheStartAndTheTotalAfterTheEnd()
    {
        // 2 s ramping 0 → 20/s (r = 10 t, Λ = 5 t²), 1 s pause, 2 s at 10/s.
        var schedule = ArrivalSchedule.Build(
            [
                LoadSimulation.RampingInject(20, Second, TimeSpan.FromSeconds(2)),
                LoadSimulation.Pause(Second),
                LoadSimulation.Inject(10, Second, TimeSpan.FromSeconds(2)),
            ],
            1);

        Assert.Equal(0, schedule.CumulativeAt(-1));
        Assert.Equal(0, schedule.CumulativeAt(0));
        Assert.Equal(5, schedule.CumulativeAt(1), 9);
        Assert.Equal(11.25, schedule.CumulativeAt(1.5), 9);
        Assert.Equal(20, schedule.CumulativeAt(2), 9);
        Assert.Equal(20, schedule.CumulativeAt(2.5), 9);
        Assert.Equal(25, schedule.CumulativeAt(3.5), 9);
        Assert.Equal(40, schedule.CumulativeAt(5), 9);
        Assert.Equal(40, schedule.CumulativeAt(60), 9);
        Assert.Equal(schedule.ExpectedCount, schedule.CumulativeAt(60));
    }

    [Fact]
    public void RampingInject_StartsFromThePreviousPhaseRate()
    {
        // 10 s at 50/s, then 10 s ramping 50 → 150 (area 1000), then 5 s pause.
        var sims = new[]
        {
            LoadSimulation.Inject(50, Second, TimeSpan.FromSeconds(10)),
            LoadSimulation.RampingInject(150, Second, TimeSpan.FromSeconds(10)),
            LoadSimulation.Pause(TimeSpan.FromSeconds(5)),
        };
        var schedule = ArrivalSchedule.Build(sims, 1);

        Assert.InRange(ArrivalSchedule.CountArrivals(sims, 1), 1499, 1501);
        Assert.Equal(25, schedule.TotalSeconds);
    }

    [Fact]
    public void Pause_BetweenPhases_StartsNothingInsideThePause()
    {
        var sims = new[]
        {
            LoadSimulation.Inject(10, Second, TimeSpan.FromSeconds(1)),
            LoadSimulation.Pause(TimeSpan.FromSeconds(5)),
            LoadSimulation.Inject(10, Second, TimeSpan.FromSeconds(1)),
        };
        var schedule = ArrivalSchedule.Build(sims, 1);
        var times = new List<double>();
        for (long k = 0; schedule.TryGetArrival(k, out var t); k++)
        {
            times.Add(t);
        }

        Assert.Equal(20, times.Count);
        Assert.DoesNotContain(times, t => t >= 1 && t < 6);
        Assert.Equal(6.0, times[10], 9);
    }

    [Fact]
    public void InjectRandom_WithTheSameSeed_GivesTheSameSchedule_AndStaysWithinBounds()
    {
        var sims = new[] { LoadSimulation.InjectRandom(10, 50, Second, TimeSpan.FromSeconds(60)) };

        static List<double> Times(LoadSimulation[] sims, int seed)
        {
            var schedule = ArrivalSchedule.Build(sims, seed);
            var times = new List<double>();
            for (long k = 0; schedule.TryGetArrival(k, out var t); k++)
            {
                times.Add(t);
            }

            return times;
        }

        var a = Times(sims, 7);
        var b = Times(sims, 7);
        var c = Times(sims, 8);

        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
        Assert.InRange(a.Count, 600, 3000);

        // Every second's rate lies between 10 and 50.
        Assert.All(a.GroupBy(t => (int)t), g => Assert.InRange(g.Count(), 9, 51));
    }
}
