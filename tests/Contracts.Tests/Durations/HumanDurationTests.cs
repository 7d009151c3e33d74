using PaySim.Contracts.Durations;

namespace PaySim.Contracts.Tests.Durations;

/// <summary>The one duration grammar of rules, plans and flags: what it reads, what it refuses, and that no text overflows it.</summary>
public sealed class HumanDurationTests
{
    private static readonly TimeSpan Day = TimeSpan.FromHours(24);

    [Theory]
    [InlineData("250ms", 250)]
    [InlineData("10s", 10_000)]
    [InlineData("1.5s", 1_500)]
    [InlineData("2m", 120_000)]
    [InlineData("2h", 7_200_000)]
    [InlineData("1m30s", 90_000)]
    [InlineData("1h2m3s4ms", 3_723_004)]
    [InlineData("1h30m", 5_400_000)]
    [InlineData("1h500ms", 3_600_500)]
    [InlineData("1.5s250ms", 1_750)]
    [InlineData("0.25ms", 0.25)]
    [InlineData("0", 0)]
    [InlineData("0s", 0)]
    [InlineData("0.0004ms", 0)]
    [InlineData("0.0001ms", 0)]
    [InlineData("0.0015ms", 0.002)]
    [InlineData("1.0000004s", 1_000)]
    public void TryParse_ReadsTheUnitsPeopleWrite(string text, double ms)
    {
        Assert.True(HumanDuration.TryParse(text, out var value));
        Assert.Equal(TimeSpan.FromTicks((long)(ms * TimeSpan.TicksPerMillisecond)), value);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("10")]
    [InlineData("s")]
    [InlineData("3 s")]
    [InlineData("10sec")]
    [InlineData("1.s")]
    [InlineData(".5s")]
    [InlineData("+5s")]
    [InlineData("1e3ms")]
    [InlineData("5d")]
    [InlineData("fast")]
    [InlineData("NaNs")]
    [InlineData("1h1h")]
    [InlineData("1s1m")]
    [InlineData("30s1m")]
    [InlineData("1ms1s")]
    [InlineData("1m1h")]
    [InlineData("1h30m30m")]
    [InlineData("0s0s")]
    [InlineData("1.5s500ms1s")]
    [InlineData(" 9s")]
    [InlineData("9s ")]
    [InlineData(" 10s ")]
    [InlineData("\t9s")]
    [InlineData("9s\n")]
    [InlineData(" 0")]
    [InlineData(" -1m30s")]
    [InlineData(" ")]
    public void TryParse_RefusesWhatIsNotADuration(string? text)
    {
        Assert.False(HumanDuration.TryParse(text, Day, out _, out var problem));
        Assert.Equal(DurationProblem.Malformed, problem);
    }

    [Theory]
    [InlineData("-5s")]
    [InlineData("-0")]
    [InlineData("-1m30s")]
    public void TryParse_RefusesNegativesAsSuch(string text)
    {
        Assert.False(HumanDuration.TryParse(text, Day, out _, out var problem));
        Assert.Equal(DurationProblem.Negative, problem);
    }

    [Theory]
    [InlineData("24h", true)]
    [InlineData("23h59m59s999ms", true)]
    [InlineData("1440m", true)]
    [InlineData("24h1ms", false)]
    [InlineData("25h", false)]
    [InlineData("86400001ms", false)]
    [InlineData("10000000h", false)]
    [InlineData("99999999999999999999999999999999h", false)]
    [InlineData("9999999999999999.5s", false)]
    [InlineData("23h60m", true)]
    [InlineData("23h61m", false)]
    public void TryParse_WithABound_RefusesAnythingLongerAsTooLong_WithoutOverflow(string text, bool accepted)
    {
        Assert.Equal(accepted, HumanDuration.TryParse(text, Day, out var value, out var problem));
        Assert.Equal(accepted ? DurationProblem.None : DurationProblem.TooLong, problem);
        Assert.InRange(value, TimeSpan.Zero, Day);
    }

    [Fact]
    public void TryParse_WithoutABound_StopsAtTheCeiling()
    {
        Assert.True(HumanDuration.TryParse("8760h", out var year));
        Assert.Equal(HumanDuration.Ceiling, year);
        Assert.False(HumanDuration.TryParse("8761h", out _));
    }

    [Theory]
    [InlineData(3_600_000, "1h")]
    [InlineData(120_000, "2m")]
    [InlineData(90_000, "90s")]
    [InlineData(1_500, "1500ms")]
    [InlineData(0.5, "0.5ms")]
    [InlineData(0.001, "0.001ms")]
    [InlineData(0, "0s")]
    [InlineData(61_500, "61.5s")]
    [InlineData(3_599_999.5, "3599.9995s")]
    [InlineData(5_400_000, "1h30m")]
    [InlineData(5_400_500, "1h30m0.5s")]
    [InlineData(3_600_000.5, "1h0.0005s")]
    [InlineData(3_601_000, "1h1s")]
    [InlineData(604_739_520, "167h58m59.52s")]
    [InlineData(604_799_000, "167h59m59s")]
    [InlineData(59_999.5, "59999.5ms")]
    [InlineData(-1_500, "-1500ms")]
    public void Format_GivesTheShortestExactForm_WhichParsesBack(double ms, string text)
    {
        var value = TimeSpan.FromTicks((long)(ms * TimeSpan.TicksPerMillisecond));

        Assert.Equal(text, HumanDuration.Format(value));
        if (value >= TimeSpan.Zero)
        {
            Assert.True(HumanDuration.TryParse(text, out var back));
            Assert.Equal(value, back);
        }
    }

    [Theory]
    [InlineData("0")]
    [InlineData("0.001ms")]
    [InlineData("250ms")]
    [InlineData("1.5s")]
    [InlineData("90s")]
    [InlineData("1m30.25s")]
    [InlineData("2h")]
    [InlineData("1h0.5s")]
    [InlineData("167h58m59.52s")]
    [InlineData("604739520ms")]
    [InlineData("604739519.999ms")]
    [InlineData("10079.991m")]
    [InlineData("167.9998h")]
    [InlineData("8759h59m59.999999s")]
    [InlineData("8760h")]
    public void Format_OfAParsedValue_ParsesBackToTheSameValue(string text)
    {
        Assert.True(HumanDuration.TryParse(text, out var value));

        var formatted = HumanDuration.Format(value);

        Assert.True(HumanDuration.TryParse(formatted, out var back), $"\"{formatted}\" does not parse");
        Assert.Equal(value, back);
        if (value >= TimeSpan.FromMinutes(1))
        {
            Assert.DoesNotMatch("ms$", formatted); // a long span is never a run of milliseconds
        }
    }

    [Theory]
    [InlineData(10_000_004, "1s")] // 1.0000004s: under half a microsecond, rounded down
    [InlineData(599_999_995, "1m")] // 59.9999995s: half a microsecond, away from zero, to the next whole unit
    [InlineData(36_000_000_005, "1h0.000001s")] // 1h0.0000005s
    [InlineData(35_999_999_995, "1h")] // 59m59.9999995s
    public void Format_RoundsTicksFinerThanAMicrosecond_HalfAwayFromZero(long ticks, string expected) =>
        Assert.Equal(expected, HumanDuration.Format(TimeSpan.FromTicks(ticks)));

    [Theory]
    [InlineData("0", "must be more than 0")]
    [InlineData("0s", "must be more than 0")]
    [InlineData("0.0001ms", "must be more than 0 (it rounds to 0; the smallest duration is 0.001ms)")]
    public void NotPositive_SaysItRoundsToZero_OnlyWhenTheTextHadADigit(string text, string expected) =>
        Assert.Equal(expected, HumanDuration.NotPositive(text));
}
