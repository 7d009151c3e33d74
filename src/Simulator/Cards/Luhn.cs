namespace PaySim.Simulator.Cards;

/// <summary>The Luhn (mod 10) check used by every card number.</summary>
internal static class Luhn
{
    public static bool IsValid(ReadOnlySpan<char> number)
    {
        if (number.Length < 2)
        {
            return false;
        }

        var sum = 0;
        var doubleIt = false;
        for (var i = number.Length - 1; i >= 0; i--)
        {
            var c = number[i];
            if (c is < '0' or > '9')
            {
                return false;
            }

            var d = c - '0';
            if (doubleIt)
            {
                d *= 2;
                if (d > 9)
                {
                    d -= 9;
                }
            }

            sum += d;
            doubleIt = !doubleIt;
        }

        return sum % 10 == 0;
    }

    /// <summary>The check digit to append to <paramref name="payload"/> (all digits but the last).</summary>
    public static char CheckDigit(ReadOnlySpan<char> payload) => (char)('0' + CheckValue(payload));

    /// <summary>As <see cref="CheckDigit(ReadOnlySpan{char})"/>, for ASCII digits (the cardholder export works in UTF-8).</summary>
    public static byte CheckDigit(ReadOnlySpan<byte> payload) => (byte)('0' + CheckValue(payload));

    // One loop for UTF-16 and ASCII digits; the JIT compiles it once per element type, so neither pays for the other.
    private static int CheckValue<T>(ReadOnlySpan<T> payload)
        where T : unmanaged, System.Numerics.IBinaryInteger<T>
    {
        var sum = 0;
        var doubleIt = true;
        for (var i = payload.Length - 1; i >= 0; i--)
        {
            var d = int.CreateTruncating(payload[i]) - '0';
            if (doubleIt)
            {
                d *= 2;
                if (d > 9)
                {
                    d -= 9;
                }
            }

            sum += d;
            doubleIt = !doubleIt;
        }

        return (10 - sum % 10) % 10;
    }

    public static string Complete(string payload) => payload + CheckDigit(payload);
}
