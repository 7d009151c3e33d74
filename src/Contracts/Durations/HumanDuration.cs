using System.Globalization;

namespace PaySim.Contracts.Durations;

/// <summary>
/// The one duration grammar of the project, shared by fault rules, plans and flags:
/// <c>250ms</c>, <c>10s</c>, <c>1.5s</c>, <c>2m</c>, <c>1h</c>, combinations such as <c>1m30s</c> (units largest
/// first, each at most once: <c>1h1h</c> and <c>1s1m</c> are refused, not added up), and a bare <c>0</c>. No sign, no
/// exponent, no spaces, inside or around (<c>" 9s"</c> is refused like <c>"9 s"</c>: a pasted value with a stray space
/// is a typo to show, not one to guess at).
/// <para>
/// It lives in PaySim.Contracts because the simulator, the wallet and the load tests all reference
/// that assembly already. A source file linked into each project was the other choice, but the load
/// tests see the simulator's internals (InternalsVisibleTo), so two copies of one internal type would
/// clash there; one public type in the shared assembly cannot.
/// </para>
/// <para>
/// Every caller passes the bound of its field (a schedule, a delay, a run length): a text beyond it
/// is refused as <see cref="DurationProblem.TooLong"/> before any arithmetic can overflow.
/// </para>
/// <para>
/// A duration counts whole microseconds (<see cref="Resolution"/>), the precision <see cref="Format"/> writes and
/// Redis keeps: finer digits are rounded, so "0.0004ms" is 0 and a field that must be more than 0 refuses it
/// rather than store a value that reads back as "0ms".
/// </para>
/// </summary>
public static class HumanDuration
{
    public const string Allowed = "a number with a unit ms, s, m or h, e.g. \"250ms\", \"30s\", \"1.5s\", \"2m\", \"1h\", or several units largest first, each once, e.g. \"1h30m\", \"1m30s\"";

    /// <summary>The smallest step of a duration: one microsecond, the precision <see cref="Format"/> writes.</summary>
    public static readonly TimeSpan Resolution = TimeSpan.FromTicks(TimeSpan.TicksPerMicrosecond);

    /// <summary>The longest duration any field accepts; callers give tighter bounds.</summary>
    public static readonly TimeSpan Ceiling = TimeSpan.FromDays(365);

    // A year is 3.2e10 ms: more whole digits than this is beyond the ceiling in any unit.
    private const int MaxWholeDigits = 15;

    // Below a tick (100 ns = 1e-10 h) nothing counts.
    private const int MaxFractionDigits = 12;

    /// <summary>Parses with the <see cref="Ceiling"/> as the bound.</summary>
    public static bool TryParse(string? text, out TimeSpan value) => TryParse(text, Ceiling, out value, out _);

    /// <summary>Parses <paramref name="text"/>; refuses anything longer than <paramref name="max"/>.</summary>
    public static bool TryParse(string? text, TimeSpan max, out TimeSpan value, out DurationProblem problem)
    {
        value = TimeSpan.Zero;
        problem = DurationProblem.Malformed;
        // Surrounding spaces are refused as malformed, not trimmed: the plan schema's pattern refuses them too.
        if (string.IsNullOrEmpty(text) || char.IsWhiteSpace(text[0]) || char.IsWhiteSpace(text[^1]))
        {
            return false;
        }

        var s = text.AsSpan();
        if (s[0] == '-')
        {
            problem = DurationProblem.Negative;
            return false;
        }

        if (s is "0")
        {
            problem = DurationProblem.None;
            return true;
        }

        var limit = (decimal)Math.Min(max.Ticks, Ceiling.Ticks);
        decimal ticks = 0;
        var tooLong = false;
        var previousUnit = long.MaxValue;
        while (!s.IsEmpty)
        {
            // A unit given twice ("1h1h") or after a smaller one ("1s1m") is a typo more often than a sum: refused.
            if (!TryReadPart(ref s, out var number, out var unitTicks) || unitTicks >= previousUnit)
            {
                return false;
            }

            previousUnit = unitTicks;

            // Compare before multiplying: a huge amount is refused, it never overflows. The rest of
            // the text is still read, so "99999999999999999999h" is too long and "9999999x" malformed.
            tooLong |= !TryAmount(number, out var amount) || amount > (limit - ticks) / unitTicks;
            if (!tooLong)
            {
                ticks += amount * unitTicks;
            }
        }

        if (tooLong)
        {
            problem = DurationProblem.TooLong;
            return false;
        }

        var micros = Math.Round(ticks / TimeSpan.TicksPerMicrosecond, MidpointRounding.AwayFromZero);
        value = TimeSpan.FromTicks((long)micros * TimeSpan.TicksPerMicrosecond);
        problem = DurationProblem.None;
        return true;
    }

    /// <summary>
    /// An exact form the parser reads back (<c>TryParse(Format(x))</c> gives x, to the <see cref="Resolution"/>), in the
    /// largest units that read well: one unit when the value is whole in it ("2h", "2m", "90s"); from an hour on, hours,
    /// minutes and seconds with the fraction in the seconds ("1h30m", "167h58m59.52s"); under an hour, seconds with a
    /// fraction ("90.5s") and under a minute milliseconds ("1500ms", "0.5ms"), never a long run of milliseconds. Finer
    /// than a microsecond is rounded, half away from zero.
    /// </summary>
    public static string Format(TimeSpan value)
    {
        var ticks = RoundToResolution(value.Ticks);
        if (ticks < 0)
        {
            return "-" + Format(TimeSpan.FromTicks(-ticks));
        }

        if (ticks != 0 && ticks % TimeSpan.TicksPerHour == 0)
        {
            return FormattableString.Invariant($"{ticks / TimeSpan.TicksPerHour}h");
        }

        if (ticks >= TimeSpan.TicksPerHour)
        {
            // Hours, then the minutes and seconds that are not 0, the fraction (to the microsecond) in the seconds.
            var minutes = ticks % TimeSpan.TicksPerHour / TimeSpan.TicksPerMinute;
            var seconds = Seconds(ticks % TimeSpan.TicksPerMinute);
            return FormattableString.Invariant($"{ticks / TimeSpan.TicksPerHour}h{(minutes > 0 ? $"{minutes}m" : string.Empty)}{(seconds is "0" ? string.Empty : $"{seconds}s")}");
        }

        if (ticks != 0 && ticks % TimeSpan.TicksPerMinute == 0)
        {
            return FormattableString.Invariant($"{ticks / TimeSpan.TicksPerMinute}m");
        }

        return ticks % TimeSpan.TicksPerSecond == 0 || ticks >= TimeSpan.TicksPerMinute
            ? $"{Seconds(ticks)}s"
            : FormattableString.Invariant($"{(decimal)ticks / TimeSpan.TicksPerMillisecond:0.###}ms");
    }

    private static string Seconds(long ticks) => ((decimal)ticks / TimeSpan.TicksPerSecond).ToString("0.######", CultureInfo.InvariantCulture);

    /// <summary>
    /// What a field that must be more than 0 says of a text that parsed to 0, quoting nothing: "must be more than 0", and
    /// when the text has a digit other than 0 ("0.0001ms"), that it rounds to 0 and what the smallest duration is.
    /// </summary>
    public static string NotPositive(string? text) =>
        text is not null && text.Any(c => c is >= '1' and <= '9')
            ? $"must be more than 0 (it rounds to 0; the smallest duration is {Format(Resolution)})"
            : "must be more than 0";

    // Whole microseconds, half away from zero; at the ends of TimeSpan the last step is cut instead of overflowing.
    private static long RoundToResolution(long ticks)
    {
        var step = Resolution.Ticks;
        var rest = ticks % step;
        var down = ticks - rest;
        if (Math.Abs(rest) * 2 < step)
        {
            return down;
        }

        return rest > 0
            ? (down <= long.MaxValue - step ? down + step : down)
            : (down >= long.MinValue + step ? down - step : down);
    }

    // One "<digits>[.<digits>]<unit>" off the front of s.
    private static bool TryReadPart(ref ReadOnlySpan<char> s, out ReadOnlySpan<char> number, out long unitTicks)
    {
        number = default;
        unitTicks = 0;
        var end = Digits(s, 0);
        if (end == 0)
        {
            return false;
        }

        if (end < s.Length && s[end] == '.')
        {
            var fraction = Digits(s, end + 1);
            if (fraction == end + 1)
            {
                return false;
            }

            end = fraction;
        }

        number = s[..end];
        var rest = s[end..];
        var (unitLength, ticks) = rest switch
        {
            ['m', 's', ..] => (2, TimeSpan.TicksPerMillisecond),
            ['s', ..] => (1, TimeSpan.TicksPerSecond),
            ['m', ..] => (1, TimeSpan.TicksPerMinute),
            ['h', ..] => (1, TimeSpan.TicksPerHour),
            _ => (0, 0L),
        };
        if (unitLength == 0)
        {
            return false;
        }

        unitTicks = ticks;
        s = rest[unitLength..];
        return true;
    }

    private static int Digits(ReadOnlySpan<char> s, int start)
    {
        var end = start;
        while (end < s.Length && char.IsAsciiDigit(s[end]))
        {
            end++;
        }

        return end;
    }

    // Whole digits beyond MaxWholeDigits exceed every bound in every unit; the fraction is cut to what decimal holds exactly.
    private static bool TryAmount(ReadOnlySpan<char> number, out decimal amount)
    {
        var dot = number.IndexOf('.');
        var whole = dot < 0 ? number.Length : dot;
        if (whole > MaxWholeDigits)
        {
            amount = 0;
            return false;
        }

        if (dot >= 0 && number.Length - dot - 1 > MaxFractionDigits)
        {
            number = number[..(dot + 1 + MaxFractionDigits)];
        }

        return decimal.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out amount);
    }
}
