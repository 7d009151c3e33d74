using System.Globalization;

namespace PaySim.LoadTests.Plans;

/// <summary>A rate as the run prints it: up to 3 decimals, but a rate above 0 never as "0" (<c>--rate 0.0001</c> is 0.0001/s).</summary>
internal static class RateText
{
    public static string Format(double rate)
    {
        var text = rate.ToString("0.###", CultureInfo.InvariantCulture);
        return rate != 0 && text is "0" or "-0" ? rate.ToString("0.###############", CultureInfo.InvariantCulture) : text;
    }
}
