using System.Globalization;
using PaySim.LoadEngine;

namespace PaySim.LoadTests.Plans;

/// <summary>
/// What one load process is asked to do, checked before anything starts: a rate it can schedule,
/// a number of copies it can hold, a <c>maxConcurrency</c> that can carry the rate, a duration and a
/// seed that make sense. Each refusal is one line naming the field or flag (docs/plans.md, "Limits").
/// </summary>
internal static class LoadLimits
{
    /// <summary>Open-model iterations per second one process schedules at its peak, over all scenarios.</summary>
    public const double MaxRatePerSecond = 50_000;

    /// <summary>Closed-model copies (virtual users) of one phase in one process.</summary>
    public const int MaxCopies = 100_000;

    /// <summary>
    /// The shortest mean iteration that <c>maxConcurrency</c> may assume: an open scenario at R/s keeps
    /// about R × (iteration time) in flight (Little's law), so it needs at least R × 10 ms of room.
    /// </summary>
    public static readonly TimeSpan FastestIteration = TimeSpan.FromMilliseconds(10);

    public static readonly TimeSpan MaxDuration = TimeSpan.FromDays(7);

    public static void CheckDuration(TimeSpan duration, string field)
    {
        if (duration > MaxDuration)
        {
            throw new PlanException($"{field}: {DurationText.Format(duration)} is longer than the limit of 7 days (168h); split a longer soak into runs.");
        }
    }

    /// <summary>
    /// A seed flag's text: a whole number from 0 to <see cref="int.MaxValue"/>, or one line naming the flag and what is
    /// wrong (a number past the range says which end, not "not a whole number").
    /// </summary>
    public static int ParseSeed(string text, string field)
    {
        if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var seed))
        {
            CheckSeed(seed, field);
            return seed;
        }

        if (System.Numerics.BigInteger.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var big))
        {
            throw new PlanException(big.Sign < 0
                ? $"{field}: \"{text}\" is negative; a seed is a whole number from 0 to {int.MaxValue}."
                : $"{field}: \"{text}\" is more than {int.MaxValue}; a seed is a whole number from 0 to {int.MaxValue}.");
        }

        throw new PlanException($"{field}: \"{text}\" is not a whole number.");
    }

    public static void CheckSeed(int seed, string field)
    {
        if (seed < 0)
        {
            throw new PlanException($"{field}: {seed} is negative; a seed is a whole number from 0 to {int.MaxValue}.");
        }
    }

    /// <param name="rateField">Who set the rate: "--rate" or the plan's "rate", for the message.</param>
    /// <param name="shards">Processes sharing the load (--shard i/n): each schedules 1/n of it.</param>
    public static void CheckLoad(IReadOnlyList<PlanScenario> scenarios, string p, string rateField, int shards)
    {
        var peaks = scenarios.Select(s => s.Load.Where(l => l.IsOpen).Select(l => Math.Max(l.RatePerSecond, l.MaxRatePerSecond)).DefaultIfEmpty(0).Max() / shards).ToArray();
        var peak = peaks.Sum();
        if (peak > MaxRatePerSecond)
        {
            var processes = Math.Ceiling(peak * shards / MaxRatePerSecond);
            var split = processes > 1000 ? "it is far more than --shard's 1000 processes carry" : $"split it with --shard i/n over at least {Number(processes)} processes";
            throw new PlanException(
                $"{rateField}: a peak of {Number(peak)} iterations per second{(shards > 1 ? " per shard" : "")} is more than one process schedules (at most {Number(MaxRatePerSecond)}); lower it, or {split}.");
        }

        for (var i = 0; i < scenarios.Count; i++)
        {
            var s = scenarios[i];
            var f = $"{p} scenarios[{i}]";
            for (var j = 0; j < s.Load.Count; j++)
            {
                if (s.Load[j].IsClosed && s.Load[j].Copies / (double)shards > MaxCopies)
                {
                    throw new PlanException($"{f}.load[{j}].copies: {s.Load[j].Copies} is more than one process holds (at most {MaxCopies}); use fewer, or split them with --shard i/n.");
                }
            }

            var needed = Math.Ceiling(peaks[i] * FastestIteration.TotalSeconds);
            if (s.MaxConcurrency < needed)
            {
                throw new PlanException(
                    $"{f}.maxConcurrency: {s.MaxConcurrency} cannot carry {Number(peaks[i])} iterations per second unless every iteration takes under {Number(s.MaxConcurrency / peaks[i] * 1000)} ms; set it to at least {Number(needed)} (room for {FastestIteration.TotalMilliseconds:0} ms per iteration).");
            }
        }
    }

    private static string Number(double value) =>
        value >= 1e12 ? value.ToString("0.###e0", CultureInfo.InvariantCulture) : value.ToString("0.##", CultureInfo.InvariantCulture);
}
