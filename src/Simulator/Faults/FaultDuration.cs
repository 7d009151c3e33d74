using System.Globalization;

namespace PaySim.Simulator.Faults;

/// <summary>Durations as people write them in rules: "250ms", "10s", "1.5s", "2m", "1h".</summary>
public static class FaultDuration
{
    public const string Allowed = "a duration like \"250ms\", \"10s\", \"2m\" or \"1h\"";

    public static bool TryParse(string? text, out TimeSpan value)
    {
        value = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var s = text.AsSpan().Trim();
        var unitStart = s.Length;
        while (unitStart > 0 && char.IsAsciiLetter(s[unitStart - 1]))
        {
            unitStart--;
        }

        var number = s[..unitStart].Trim();
        var unit = s[unitStart..];
        if (number.IsEmpty
            || !double.TryParse(number, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount)
            || double.IsNaN(amount) || double.IsInfinity(amount))
        {
            return false;
        }

        double ms;
        if (unit.SequenceEqual("ms"))
        {
            ms = amount;
        }
        else if (unit.SequenceEqual("s"))
        {
            ms = amount * 1_000;
        }
        else if (unit.SequenceEqual("m"))
        {
            ms = amount * 60_000;
        }
        else if (unit.SequenceEqual("h"))
        {
            ms = amount * 3_600_000;
        }
        else if (unit.IsEmpty && amount == 0)
        {
            ms = 0;
        }
        else
        {
            return false;
        }

        if (Math.Abs(ms) > TimeSpan.MaxValue.TotalMilliseconds / 2)
        {
            return false;
        }

        value = TimeSpan.FromTicks((long)Math.Round(ms * TimeSpan.TicksPerMillisecond));
        return true;
    }

    public static TimeSpan Parse(string text) =>
        TryParse(text, out var value) ? value : throw new FormatException($"'{text}' is not {Allowed}");

    /// <summary>The shortest exact form, so a listed rule reads like the rule that was posted.</summary>
    public static string Format(TimeSpan value)
    {
        if (value.Ticks % TimeSpan.TicksPerHour == 0 && value.Ticks != 0)
        {
            return FormattableString.Invariant($"{value.Ticks / TimeSpan.TicksPerHour}h");
        }

        if (value.Ticks % TimeSpan.TicksPerMinute == 0 && value.Ticks != 0)
        {
            return FormattableString.Invariant($"{value.Ticks / TimeSpan.TicksPerMinute}m");
        }

        if (value.Ticks % TimeSpan.TicksPerSecond == 0)
        {
            return FormattableString.Invariant($"{value.Ticks / TimeSpan.TicksPerSecond}s");
        }

        return FormattableString.Invariant($"{value.TotalMilliseconds:0.###}ms");
    }
}
