using System.Globalization;
using PaySim.Simulator.Cards;

namespace PaySim.Simulator.Cardholders;

/// <summary>
/// Deterministic synthetic cardholders. Cardholder #i depends only on (seed, i, shares), never on how
/// many were generated before it, so a registry of 1,000 and an export of 100,000 agree on #0..#999,
/// and the simulator derives a card when it needs it instead of keeping it. The PAN and the reserved
/// phone carry i (encoded, <see cref="IndexOfPan"/>, <see cref="IndexOfPhone"/>): a card is found by
/// either without a table.
/// Thread-safe: every call draws from its own <see cref="CompatRandom"/>, seeded from (seed, index).
/// </summary>
internal sealed class CardholderGenerator
{
    public const string ZhCn = "zh_CN";
    public const string En = "en";

    private readonly int _seed;
    private readonly IndexCode _panCode;
    private readonly IndexCode _phoneCode;
    private readonly double _zhCnShare;
    private readonly double[] _cumulative;
    private readonly bool[] _made;
    /// <summary>The most cardholders a generator numbers: a reserved phone carries the index in 8 digits.</summary>
    public const int MaxCount = 100_000_000;

    // Where a reserved phone carries the index: zh_CN 1[3-9]D DDDDDDDD (the last 8), en +1NDD NDDDDDD (every D).
    private static readonly int[] ZhIndexDigits = [3, 4, 5, 6, 7, 8, 9, 10];
    private static readonly int[] EnIndexDigits = [3, 4, 6, 7, 8, 9, 10, 11];

    private static readonly NameLists ZhNames = new(ZhCn);
    private static readonly NameLists EnNames = new(En);

    public CardholderGenerator(int seed, double zhCnShare = 0.7, IReadOnlyDictionary<string, double>? personaWeights = null)
    {
        _seed = seed;
        _panCode = new IndexCode(seed, 5, 0x50414E);
        _phoneCode = new IndexCode(seed, 4, 0x50484F4E45);
        _zhCnShare = zhCnShare;
        var weights = personaWeights ?? Personas.DefaultWeights();
        _cumulative = new double[Personas.Generated.Length];
        _made = new bool[Personas.Generated.Length];
        double total = 0;
        for (var i = 0; i < Personas.Generated.Length; i++)
        {
            var w = weights.TryGetValue(Personas.Name(Personas.Generated[i]), out var given) ? given : 0;
            total += w;
            _cumulative[i] = total;
            _made[i] = w > 0;
        }

        if (total <= 0)
        {
            throw new ArgumentException("persona weights must add up to more than 0", nameof(personaWeights));
        }

        for (var i = 0; i < _cumulative.Length; i++)
        {
            _cumulative[i] /= total;
        }
    }

    /// <summary>
    /// Whether any card of this generator has <paramref name="persona"/> and <paramref name="locale"/> (null: any):
    /// a persona of weight 0 (the risk personas by default, the magic cards always) or a locale whose share is 0
    /// has none, so a filter on it is answered at once instead of scanning every index for a match.
    /// </summary>
    public bool Makes(Persona? persona, string? locale)
    {
        if (persona is { } p && (Array.IndexOf(Personas.Generated, p) is var at && (at < 0 || !_made[at])))
        {
            return false;
        }

        // A card is zh_CN when a draw in [0, 1) is below the share: a share of 0 makes none, a share of 1 no en.
        return locale is null
            || (string.Equals(locale, ZhCn, StringComparison.OrdinalIgnoreCase) ? _zhCnShare > 0 : _zhCnShare < 1);
    }

    /// <summary>The personas this generator gives cards (weight above 0), in <see cref="Personas.Generated"/> order.</summary>
    public IEnumerable<Persona> MadePersonas => Personas.Generated.Where((_, i) => _made[i]);

    public static int IndexSeed(int seed, int index)
    {
        // SplitMix64 finaliser: neighbouring indices get unrelated streams.
        var z = ((ulong)(uint)seed << 32) ^ (uint)index;
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        return (int)(z & 0x7FFFFFFF);
    }

    /// <summary>
    /// The index a PAN of this generator carries (its 10 digits before the Luhn digit), or -1. Only a
    /// candidate: the caller derives that cardholder and compares the PAN.
    /// </summary>
    public int IndexOfPan(string pan)
    {
        if (pan.Length is not (15 or 16) || !IsDigits(pan))
        {
            return -1;
        }

        var code = long.Parse(pan.AsSpan(pan.Length - 11, 10), CultureInfo.InvariantCulture);
        var index = _panCode.Decode(code);
        return index < MaxCount ? (int)index : -1;
    }

    /// <summary>The index a reserved phone of this generator carries (8 of its digits), or -1; a candidate, as for the PAN.</summary>
    public int IndexOfPhone(string phone)
    {
        int[] positions;
        if (phone.Length == 11 && phone[0] == '1' && IsDigits(phone))
        {
            positions = ZhIndexDigits;
        }
        else if (phone.Length == 12 && phone.StartsWith("+1", StringComparison.Ordinal) && IsDigits(phone.AsSpan(1)))
        {
            positions = EnIndexDigits;
        }
        else
        {
            return -1;
        }

        long code = 0;
        foreach (var at in positions)
        {
            code = (code * 10) + (phone[at] - '0');
        }

        var index = _phoneCode.Decode(code);
        return index < MaxCount ? (int)index : -1;
    }

    public IEnumerable<CardholderRecord> GenerateMany(int count, int offset = 0)
    {
        for (var i = 0; i < count; i++)
        {
            yield return Generate(offset + i);
        }
    }

    public CardholderRecord Generate(int index)
    {
        var draw = default(CardholderDraw);
        Derive(index, ref draw);
        return draw.ToRecord();
    }

    /// <summary>
    /// Draws cardholder #<paramref name="index"/> into <paramref name="d"/> (every field is overwritten):
    /// what <see cref="Generate"/> returns, without a string or an allocation, for the export.
    /// </summary>
    public void Derive(int index, ref CardholderDraw d)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, MaxCount);

        // The draws, in order, are the ones Bogus' Randomizer and Faker.Name made before (Number(a, b) is
        // Next(a, b + 1), Double() is NextDouble(), a name is one Number over its locale's list), the values
        // of System.Random seeded from (seed, index), drawn by CompatRandom (the same algorithm, no allocation).
        var r = new CompatRandom(IndexSeed(_seed, index));
        d.Index = index;
        d.Zh = r.NextDouble() < _zhCnShare;
        var names = d.Zh ? ZhNames : EnNames;
        d.Persona = PickPersona(r.NextDouble());
        d.Network = PickNetwork(d.Zh, r.NextDouble());
        DrawPan(d.Network, ref r, d.Pan.Reset(CardNetworks.Length(d.Network)));
        PanWithIndex(d.Pan.Span, index);

        var month = r.Next(1, 13);
        var year = d.Persona == Persona.Expired ? r.Next(16, 25) : r.Next(30, 36);
        var expiry = d.Expiry.Reset(5);
        expiry[0] = (byte)('0' + (month / 10));
        expiry[1] = (byte)('0' + (month % 10));
        expiry[2] = (byte)'/';
        expiry[3] = (byte)('0' + (year / 10));
        expiry[4] = (byte)('0' + (year % 10));
        DrawDigits(ref r, d.Cvv.Reset(CardNetworks.CvvLength(d.Network)));

        if (d.Zh)
        {
            var surname = names.Last(ref r);
            var given = names.First(ref r);
            d.Name = new NameParts(surname, given);
            var other = names.First(ref r);
            d.WrongName = other.Text == given.Text ? new NameParts(surname, given, given.Initial) : new NameParts(surname, other);
            var region = ResidentId.RegionCodes[r.Next(0, ResidentId.RegionCodes.Length)];
            var birth = new DateOnly(1960, 1, 1).AddDays(r.Next(0, 16436));
            var seq = r.Next(0, 1000);
            ResidentId.Write(region, birth, seq, d.Id.Reset(18));
            ResidentId.Write(region, birth.AddDays(r.Next(1, 3001)), seq, d.WrongId.Reset(18));
            DrawZhPhone(ref r, d.Phone.Reset(11));
            DrawDifferent(d.Phone.Span, ref r, d.WrongPhone.Reset(11), DrawZhPhone);
            PhoneWithIndex(d.Phone.Span, ZhIndexDigits, index);
        }
        else
        {
            var first = names.First(ref r);
            var last = names.Last(ref r);
            d.Name = new NameParts(first, NameEntry.Space, last);
            var otherFirst = names.First(ref r);
            d.WrongName = otherFirst.Text == first.Text
                ? new NameParts(first, NameEntry.E, NameEntry.Space, last)
                : new NameParts(otherFirst, NameEntry.Space, last);
            DrawEnId(ref r, d.Id.Reset(9));
            DrawDifferent(d.Id.Span, ref r, d.WrongId.Reset(9), DrawEnId);
            DrawUsPhone(ref r, d.Phone.Reset(12));
            DrawDifferent(d.Phone.Span, ref r, d.WrongPhone.Reset(12), DrawUsPhone);
            PhoneWithIndex(d.Phone.Span, EnIndexDigits, index);
        }

        // The index may make the phone what the wrong phone was drawn as: then the wrong one differs in its last digit.
        var wrongPhone = d.WrongPhone.Span;
        if (wrongPhone.SequenceEqual(d.Phone.Span))
        {
            FlipLast(wrongPhone);
        }

        var balance = d.Persona == Persona.LowBalance ? r.Next(0, 501) : r.Next(1_000, 50_001) * 100L;
        var limit = r.Next(200, 1_001) * 10_000L;
        if (d.Persona == Persona.FrequentPayer)
        {
            // Drawn after the common fields, so every other persona's cards stay as they were.
            balance *= 100;
            limit *= 100;
        }

        d.BalanceMinor = balance;
        d.DailyLimitMinor = limit;
    }

    public static string Status(Persona persona) => persona switch
    {
        Persona.Expired => "expired",
        Persona.Blocked => "blocked",
        _ => "active",
    };

    public static (string Code, string Reason) Expected(Persona persona) => persona switch
    {
        Persona.LowBalance => ("51", "INSUFFICIENT_FUNDS"),
        Persona.Expired => ("54", "EXPIRED"),
        Persona.Blocked => ("05", "BLOCKED"),
        Persona.PhoneMismatch => ("05", "PHONE_MISMATCH"),
        Persona.IdMismatch => ("05", "ID_MISMATCH"),
        Persona.NameMismatch => ("05", "NAME_MISMATCH"),
        Persona.SmsUnreachable => ("55", "OTP_EXPIRED"),
        Persona.RiskFlagged => ("59", "SUSPECTED_FRAUD"),
        _ => ("00", ""),
    };

    private Persona PickPersona(double u)
    {
        for (var i = 0; i < _cumulative.Length; i++)
        {
            if (u < _cumulative[i])
            {
                return Personas.Generated[i];
            }
        }

        return Personas.Generated[^1];
    }

    private static CardNetwork PickNetwork(bool zh, double u) => zh
        ? u switch { < 0.70 => CardNetwork.UnionPay, < 0.85 => CardNetwork.Visa, < 0.95 => CardNetwork.Mastercard, _ => CardNetwork.Amex }
        : u switch { < 0.50 => CardNetwork.Visa, < 0.85 => CardNetwork.Mastercard, < 0.95 => CardNetwork.Amex, _ => CardNetwork.UnionPay };

    // Drawn as CardNetworks.Generate draws a PAN (prefix, then a digit per position); its Luhn digit is
    // left out, PanWithIndex sets it once the index is in.
    private static void DrawPan(CardNetwork network, ref CompatRandom r, Span<byte> pan)
    {
        var prefixLength = network switch
        {
            CardNetwork.UnionPay => Put(pan, 62),
            CardNetwork.Visa => Put(pan, 4),
            CardNetwork.Mastercard => r.Next(2) == 0 ? Put(pan, 51 + r.Next(5)) : Put(pan, 2221 + r.Next(500)),
            CardNetwork.Amex => Put(pan, r.Next(2) == 0 ? 34 : 37),
            _ => throw new ArgumentOutOfRangeException(nameof(network)),
        };
        for (var i = prefixLength; i < pan.Length - 1; i++)
        {
            pan[i] = (byte)('0' + r.Next(10));
        }

        static int Put(Span<byte> into, int prefix)
        {
            var length = prefix < 10 ? 1 : prefix < 100 ? 2 : 4;
            for (var i = length - 1; i >= 0; i--)
            {
                into[i] = (byte)('0' + (prefix % 10));
                prefix /= 10;
            }

            return length;
        }
    }

    // The PAN's 10 digits before its Luhn digit are the index, encoded: every network leaves at least 11
    // drawn digits after its prefix, so the prefix and the first drawn digits stay as drawn.
    private void PanWithIndex(Span<byte> pan, int index)
    {
        var code = _panCode.Encode(index);
        for (var at = pan.Length - 2; at >= pan.Length - 11; at--)
        {
            pan[at] = (byte)('0' + (code % 10));
            code /= 10;
        }

        pan[^1] = Luhn.CheckDigit(pan[..^1]);
    }

    private void PhoneWithIndex(Span<byte> phone, int[] positions, int index)
    {
        var code = _phoneCode.Encode(index);
        for (var i = positions.Length - 1; i >= 0; i--)
        {
            phone[positions[i]] = (byte)('0' + (code % 10));
            code /= 10;
        }
    }

    private static bool IsDigits(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    private delegate void DrawInto(ref CompatRandom r, Span<byte> into);

    private static void DrawDigits(ref CompatRandom r, Span<byte> into)
    {
        for (var i = 0; i < into.Length; i++)
        {
            into[i] = (byte)('0' + r.Next(0, 10));
        }
    }

    // A 9-digit number that does not start with 0.
    private static void DrawEnId(ref CompatRandom r, Span<byte> into)
    {
        into[0] = (byte)('0' + r.Next(1, 10));
        DrawDigits(ref r, into[1..]);
    }

    private static void DrawZhPhone(ref CompatRandom r, Span<byte> into)
    {
        into[0] = (byte)'1';
        into[1] = (byte)('0' + r.Next(3, 10));
        DrawDigits(ref r, into[2..11]);
    }

    private static void DrawUsPhone(ref CompatRandom r, Span<byte> into)
    {
        into[0] = (byte)'+';
        into[1] = (byte)'1';
        for (var i = 2; i < 12; i++)
        {
            into[i] = (byte)('0' + (i is 2 or 5 ? r.Next(2, 10) : r.Next(0, 10)));
        }
    }

    // Up to 8 draws for one that differs from value; then value with its last digit changed.
    private static void DrawDifferent(ReadOnlySpan<byte> value, ref CompatRandom r, Span<byte> into, DrawInto draw)
    {
        for (var i = 0; i < 8; i++)
        {
            draw(ref r, into);
            if (!into.SequenceEqual(value))
            {
                return;
            }
        }

        value.CopyTo(into);
        FlipLast(into);
    }

    private static void FlipLast(Span<byte> digits) => digits[^1] = digits[^1] == '0' ? (byte)'1' : (byte)'0';

    /// <summary>A locale's name lists, read once from Bogus' data; a pick is one draw, as Faker.Name makes it.</summary>
    private sealed class NameLists(string locale)
    {
        private readonly NameEntry[] _first = [.. Read(locale, "first_name").Select(n => new NameEntry(n))];
        private readonly NameEntry[] _last = [.. Read(locale, "last_name").Select(n => new NameEntry(n))];

        public NameEntry First(ref CompatRandom r) => _first[r.Next(0, _first.Length)];

        public NameEntry Last(ref CompatRandom r) => _last[r.Next(0, _last.Length)];

        private static string[] Read(string locale, string key)
        {
            var names = new Bogus.DataSets.Name(locale);
            if (!names.HasFirstNameList || names.SupportsGenderLastNames)
            {
                throw new InvalidOperationException($"Bogus locale {locale} no longer has plain first/last name lists");
            }

            var list = (Bogus.Bson.BArray)Bogus.Database.Get("name", key, locale);
            var result = new string[list.Count];
            for (var i = 0; i < result.Length; i++)
            {
                result[i] = list[i].StringValue;
            }

            return result;
        }
    }
}
