using System.Globalization;

namespace PaySim.Benchmarks.Tools;

/// <summary>
/// <c>--name value</c> pairs. Deliberately tiny: these tools are driven by a script, and every
/// mistake must come back as one line naming the option and what it accepts.
/// </summary>
internal sealed class ToolArguments
{
    private readonly Dictionary<string, string> _values;

    private ToolArguments(Dictionary<string, string> values) => _values = values;

    public static ToolArguments Parse(string tool, string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal) || arg.Length == 2)
            {
                throw new UsageException($"unexpected argument '{arg}'; options look like --name value");
            }

            var name = arg[2..];
            string value;
            var eq = name.IndexOf('=', StringComparison.Ordinal);
            if (eq >= 0)
            {
                value = name[(eq + 1)..];
                name = name[..eq];
            }
            else if (i + 1 < args.Length)
            {
                value = args[++i];
            }
            else
            {
                throw new UsageException($"--{name} needs a value");
            }

            values[name] = value;
        }

        if (ToolCatalog.TryFind(tool, out var t))
        {
            foreach (var name in values.Keys)
            {
                if (!t.Options.Contains(name))
                {
                    throw new UsageException(
                        $"unknown option --{name}; allowed: {string.Join(", ", t.Options.Select(o => "--" + o))}");
                }
            }
        }

        return new ToolArguments(values);
    }

    public string GetString(string name, string defaultValue) =>
        _values.TryGetValue(name, out var v) ? v : defaultValue;

    public string RequireString(string name) =>
        _values.TryGetValue(name, out var v) && v.Length > 0 ? v : throw new UsageException($"--{name} is required");

    public int GetInt(string name, int defaultValue, int min, int max)
    {
        if (!_values.TryGetValue(name, out var v))
        {
            return defaultValue;
        }

        if (!int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) || n < min || n > max)
        {
            throw new UsageException($"--{name} must be an integer from {min} to {max}, got '{v}'");
        }

        return n;
    }

    public double GetDouble(string name, double defaultValue, double min, double max)
    {
        if (!_values.TryGetValue(name, out var v))
        {
            return defaultValue;
        }

        if (!double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) || n < min || n > max)
        {
            throw new UsageException($"--{name} must be a number from {min} to {max}, got '{v}'");
        }

        return n;
    }

    /// <summary>Accepts 500ms, 10s, 2m or a plain number of seconds.</summary>
    public TimeSpan GetDuration(string name, TimeSpan defaultValue)
    {
        if (!_values.TryGetValue(name, out var v))
        {
            return defaultValue;
        }

        if (TryParseDuration(v, out var d) && d >= TimeSpan.Zero)
        {
            return d;
        }

        throw new UsageException($"--{name} must be a duration like 500ms, 10s or 2m, got '{v}'");
    }

    public Uri GetUri(string name)
    {
        var v = RequireString(name);
        if (Uri.TryCreate(v, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
        {
            return uri;
        }

        throw new UsageException($"--{name} must be an absolute http:// or https:// URL, got '{v}'");
    }

    private static bool TryParseDuration(string text, out TimeSpan duration)
    {
        (string number, double scale) = text switch
        {
            _ when text.EndsWith("ms", StringComparison.Ordinal) => (text[..^2], 0.001),
            _ when text.EndsWith('s') => (text[..^1], 1.0),
            _ when text.EndsWith('m') => (text[..^1], 60.0),
            _ => (text, 1.0),
        };
        if (double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && double.IsFinite(n))
        {
            duration = TimeSpan.FromSeconds(n * scale);
            return true;
        }

        duration = default;
        return false;
    }
}
