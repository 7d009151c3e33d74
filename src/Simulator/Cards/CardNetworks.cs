namespace PaySim.Simulator.Cards;

/// <summary>Prefixes and lengths by network, and the card numbers they allow.</summary>
internal static class CardNetworks
{
    public static string Name(CardNetwork network) => network switch
    {
        CardNetwork.UnionPay => "unionpay",
        CardNetwork.Visa => "visa",
        CardNetwork.Mastercard => "mastercard",
        CardNetwork.Amex => "amex",
        _ => throw new ArgumentOutOfRangeException(nameof(network)),
    };

    public static int Length(CardNetwork network) => network == CardNetwork.Amex ? 15 : 16;

    public static int CvvLength(CardNetwork network) => network == CardNetwork.Amex ? 4 : 3;

    /// <summary>The network a PAN belongs to by its prefix and length, or null.</summary>
    public static CardNetwork? Detect(string pan)
    {
        if (pan.Length == 15 && (pan.StartsWith("34", StringComparison.Ordinal) || pan.StartsWith("37", StringComparison.Ordinal)))
        {
            return CardNetwork.Amex;
        }

        if (pan.Length != 16)
        {
            return null;
        }

        if (pan.StartsWith("62", StringComparison.Ordinal))
        {
            return CardNetwork.UnionPay;
        }

        if (pan[0] == '4')
        {
            return CardNetwork.Visa;
        }

        var two = int.Parse(pan.AsSpan(0, 2));
        var four = int.Parse(pan.AsSpan(0, 4));
        if (two is >= 51 and <= 55 || four is >= 2221 and <= 2720)
        {
            return CardNetwork.Mastercard;
        }

        return null;
    }

    /// <summary>A Luhn-valid PAN of the network drawn from <paramref name="next"/> (next(n) → 0..n-1).</summary>
    public static string Generate(CardNetwork network, Func<int, int> next)
    {
        var length = Length(network);
        Span<char> buffer = stackalloc char[19];
        var prefix = network switch
        {
            CardNetwork.UnionPay => "62",
            CardNetwork.Visa => "4",
            CardNetwork.Mastercard => next(2) == 0
                ? (51 + next(5)).ToString(System.Globalization.CultureInfo.InvariantCulture)
                : (2221 + next(500)).ToString(System.Globalization.CultureInfo.InvariantCulture),
            CardNetwork.Amex => next(2) == 0 ? "34" : "37",
            _ => throw new ArgumentOutOfRangeException(nameof(network)),
        };
        prefix.AsSpan().CopyTo(buffer);
        for (var i = prefix.Length; i < length - 1; i++)
        {
            buffer[i] = (char)('0' + next(10));
        }

        buffer[length - 1] = Luhn.CheckDigit(buffer[..(length - 1)]);
        return new string(buffer[..length]);
    }
}
