using System.Globalization;
using System.Text;

namespace PaySim.Simulator.Cardholders;

/// <summary>18-digit PRC resident identity numbers (GB 11643-1999): region, birth date, sequence, check digit.</summary>
internal static class ResidentId
{
    private static readonly int[] Weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    private const string CheckChars = "10X98765432";

    /// <summary>Real county-level administrative division codes (GB/T 2260), so prefixes look genuine.</summary>
    public static readonly string[] RegionCodes =
    [
        "110101", "110105", "110108", "120101", "310101", "310104", "310115", "320102", "320505",
        "330106", "330102", "340104", "350203", "370102", "370202", "410105", "420102", "420106",
        "430102", "440103", "440106", "440305", "440304", "500103", "510104", "510107", "610113",
        "210102", "220102", "230103", "360102", "450103", "530102",
    ];

    public static char CheckDigit(ReadOnlySpan<char> first17)
    {
        var sum = 0;
        for (var i = 0; i < 17; i++)
        {
            sum += (first17[i] - '0') * Weights[i];
        }

        return CheckChars[sum % 11];
    }

    /// <summary>As <see cref="CheckDigit(ReadOnlySpan{char})"/>, for ASCII digits.</summary>
    public static byte CheckDigit(ReadOnlySpan<byte> first17)
    {
        var sum = 0;
        for (var i = 0; i < 17; i++)
        {
            sum += (first17[i] - '0') * Weights[i];
        }

        return (byte)CheckChars[sum % 11];
    }

    public static bool IsValid(string id)
    {
        if (id.Length != 18)
        {
            return false;
        }

        for (var i = 0; i < 17; i++)
        {
            if (!char.IsAsciiDigit(id[i]))
            {
                return false;
            }
        }

        if (Array.IndexOf(RegionCodes, id[..6]) < 0)
        {
            return false;
        }

        if (!DateOnly.TryParseExact(id.AsSpan(6, 8), "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
        {
            return false;
        }

        return char.ToUpperInvariant(id[17]) == CheckDigit(id);
    }

    public static string Create(string region, DateOnly birth, int sequence)
    {
        Span<byte> id = stackalloc byte[18];
        Write(region, birth, sequence, id);
        return Encoding.ASCII.GetString(id);
    }

    /// <summary>The 18 ASCII characters of <see cref="Create"/> into <paramref name="id"/>.</summary>
    public static void Write(string region, DateOnly birth, int sequence, Span<byte> id)
    {
        // region (6) + yyyyMMdd + sequence (3) + check: written digit by digit (a format string costs more than the rest).
        for (var i = 0; i < 6; i++)
        {
            id[i] = (byte)region[i];
        }

        Put(id.Slice(6, 4), birth.Year);
        Put(id.Slice(10, 2), birth.Month);
        Put(id.Slice(12, 2), birth.Day);
        Put(id.Slice(14, 3), sequence);
        id[17] = CheckDigit(id);
    }

    private static void Put(Span<byte> digits, int value)
    {
        for (var i = digits.Length - 1; i >= 0; i--)
        {
            digits[i] = (byte)('0' + (value % 10));
            value /= 10;
        }
    }
}
