using PaySim.Contracts.Durations;

namespace PaySim.LoadTests.Plans;

/// <summary>
/// Durations in plans and flags: the project's one grammar (<see cref="HumanDuration"/>: "500ms",
/// "30s", "2m", "1m30s", "1.5s"), with the plan's error message. Anything over
/// <see cref="HumanDuration.Ceiling"/> (365 days) is refused rather than overflowing.
/// </summary>
internal static class DurationText
{
    public const string Allowed = HumanDuration.Allowed;

    public static bool TryParse(string? text, out TimeSpan value) => HumanDuration.TryParse(text, out value);

    /// <summary>
    /// Parses or throws a <see cref="PlanException"/> naming <paramref name="field"/>. <paramref name="limit"/> is the
    /// field's own longest value when it has one: a text past <see cref="HumanDuration.Ceiling"/> then names that limit,
    /// not the grammar's (values between the two are left to the field's own check and its message).
    /// </summary>
    public static TimeSpan Parse(string? text, string field, TimeSpan? limit = null)
    {
        if (HumanDuration.TryParse(text, HumanDuration.Ceiling, out var value, out var problem))
        {
            return value;
        }

        throw new PlanException(problem switch
        {
            DurationProblem.Negative => $"{field}: \"{text}\" is negative; expected {Allowed}.",
            DurationProblem.TooLong => $"{field}: \"{text}\" is more than the limit of {Format(limit ?? HumanDuration.Ceiling)}.",
            _ => $"{field}: \"{text}\" is not a duration; expected {Allowed}.",
        });
    }

    /// <summary>
    /// <see cref="Parse"/> for a field that must be more than 0: a text that reads as 0 is refused quoting it as written
    /// (<c>--duration: "0.0001ms" must be more than 0 (it rounds to 0; …)</c>), never as the rounded value ("0s").
    /// </summary>
    public static TimeSpan ParsePositive(string? text, string field, TimeSpan? limit = null)
    {
        var value = Parse(text, field, limit);
        return value > TimeSpan.Zero ? value : throw new PlanException($"{field}: \"{text}\" {HumanDuration.NotPositive(text)}.");
    }

    public static string Format(TimeSpan value) => HumanDuration.Format(value);
}
