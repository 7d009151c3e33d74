namespace PaySim.Simulator.Control;

/// <summary>The bounds of the HTTP control plane, in one place (docs/simulator.md, "Limits").</summary>
internal static class ControlLimits
{
    /// <summary>The largest request body: 1 MiB holds thousands of rules.</summary>
    public const int MaxBodyBytes = 1 << 20;

    /// <summary>The longest error line a control answer carries; longer ones are cut, whole errors first.</summary>
    public const int MaxErrorLine = 300;

    /// <summary>The message on one line, at most <see cref="MaxErrorLine"/> characters.</summary>
    public static string Line(string message)
    {
        var line = message.ReplaceLineEndings(" ");
        return line.Length <= MaxErrorLine ? line : line[..(MaxErrorLine - 1)] + "…";
    }

    /// <summary>
    /// Refuses a query parameter the endpoint does not read (a misspelt <c>nme=</c> must not widen what a
    /// request does, e.g. clear every fault rule): an error naming it and the allowed ones.
    /// </summary>
    public static bool TryCheckQuery(HttpRequest request, out string? error, params string[] allowed)
    {
        error = null;
        foreach (var key in request.Query.Keys)
        {
            if (!allowed.Contains(key, StringComparer.Ordinal))
            {
                error = Line($"unknown query parameter '{key}'; allowed: {(allowed.Length == 0 ? "none" : string.Join(", ", allowed))}");
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// A whole number from the query string: absent gives <paramref name="fallback"/>; anything but
    /// digits, or outside min–max, gives an error naming the parameter and the range.
    /// </summary>
    public static bool TryQueryInt(HttpRequest request, string name, int fallback, int min, int max, out int value, out string? error)
    {
        value = fallback;
        error = null;
        if (!request.Query.TryGetValue(name, out var text))
        {
            return true;
        }

        if (int.TryParse(text.ToString(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out value)
            && value >= min && value <= max)
        {
            return true;
        }

        error = Line($"{name} '{text}' must be a whole number from {min} to {max}");
        return false;
    }
}
