using System.Globalization;
using PaySim.Simulator.Cards;

namespace PaySim.Simulator.Cardholders;

/// <summary>
/// Deterministic synthetic cardholders. Cardholder #i depends only on (seed, i, shares), never on how
/// many were generated before it, so a registry of 1,000 and an export of 100,000 agree on #0..#999,
/// and the simulator derives a card when it needs it instead of keeping it. The PAN and the reserved
/// phone carry i (encoded, <see cref="IndexOfPan"/>, <see cref="IndexOfPhone"/>): a card is found by
/// either without a table.
/// Thread-safe: every call draws from its own <see cref="Random"/>, seeded from (seed, index).
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
        double total = 0;
        for (var i = 0; i < Personas.Generated.Length; i++)
        {
            total += weights.TryGetValue(Personas.Name(Personas.Generated[i]), out var w) ? w : 0;
            _cumulative[i] = total;
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
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, MaxCount);

        // The draws, in order, are the ones Bogus' Randomizer and Faker.Name made before (Number(a, b) is
        // Next(a, b + 1), Double() is NextDouble(), a name is one Number over its locale's list), taken straight
        // from System.Random: the same values, without Bogus' locks and its per-call look-up of the name lists.
        var r = new Random(IndexSeed(_seed, index));
        var zh = r.NextDouble() < _zhCnShare;
        var names = zh ? ZhNames : EnNames;
        var persona = PickPersona(r.NextDouble());
        var network = PickNetwork(zh, r.NextDouble());
        var pan = WithIndex(CardNetworks.Generate(network, r.Next), index);

        var expired = persona == Persona.Expired;
        var month = r.Next(1, 13);
        var year = expired ? r.Next(16, 25) : r.Next(30, 36);
        var expiry = string.Create(5, (month, year), static (span, v) =>
        {
            span[0] = (char)('0' + (v.month / 10));
            span[1] = (char)('0' + (v.month % 10));
            span[2] = '/';
            span[3] = (char)('0' + (v.year / 10));
            span[4] = (char)('0' + (v.year % 10));
        });
        var cvv = Digits(r, CardNetworks.CvvLength(network));

        string name, wrongName, id, wrongId, phone, wrongPhone;
        if (zh)
        {
            var surname = names.Last(r);
            var given = names.First(r);
            name = surname + given;
            var other = names.First(r);
            wrongName = surname + (other == given ? given + given[0] : other);
            var region = ResidentId.RegionCodes[r.Next(0, ResidentId.RegionCodes.Length)];
            var birth = new DateOnly(1960, 1, 1).AddDays(r.Next(0, 16436));
            var seq = r.Next(0, 1000);
            id = ResidentId.Create(region, birth, seq);
            wrongId = ResidentId.Create(region, birth.AddDays(r.Next(1, 3001)), seq);
            var drawn = ZhPhone(r);
            wrongPhone = Different(drawn, r, ZhPhone);
            phone = PhoneWithIndex(drawn, ZhIndexDigits, index);
        }
        else
        {
            var first = names.First(r);
            var last = names.Last(r);
            name = first + " " + last;
            var otherFirst = names.First(r);
            wrongName = (otherFirst == first ? first + "e" : otherFirst) + " " + last;
            id = Digit(r, 1, 9) + Digits(r, 8);
            wrongId = Different(id, r, static r => Digit(r, 1, 9) + Digits(r, 8));
            var drawn = UsPhone(r);
            wrongPhone = Different(drawn, r, UsPhone);
            phone = PhoneWithIndex(drawn, EnIndexDigits, index);
        }

        if (wrongPhone == phone)
        {
            wrongPhone = phone[..^1] + (phone[^1] == '0' ? '1' : '0');
        }

        var balance = persona == Persona.LowBalance ? r.Next(0, 501) : r.Next(1_000, 50_001) * 100L;
        var limit = r.Next(200, 1_001) * 10_000L;
        if (persona == Persona.FrequentPayer)
        {
            // Drawn after the common fields, so every other persona's cards stay as they were.
            balance *= 100;
            limit *= 100;
        }
        var (code, reason) = Expected(persona);

        return new CardholderRecord
        {
            Index = index,
            Pan = pan,
            Network = network,
            Expiry = expiry,
            Cvv = cvv,
            HolderName = name,
            IdNumber = id,
            Phone = phone,
            BalanceMinor = balance,
            DailyLimitMinor = limit,
            Currency = zh ? "CNY" : "USD",
            Status = persona switch { Persona.Expired => "expired", Persona.Blocked => "blocked", _ => "active" },
            Persona = persona,
            Locale = zh ? ZhCn : En,
            InputHolderName = persona == Persona.NameMismatch ? wrongName : name,
            InputIdNumber = persona == Persona.IdMismatch ? wrongId : id,
            InputPhone = persona == Persona.PhoneMismatch ? wrongPhone : phone,
            ExpectedResponseCode = code,
            ExpectedDeclineReason = reason,
        };
    }

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

    // The PAN's 10 digits before its Luhn digit are the index, encoded: every network leaves at least 11
    // drawn digits after its prefix, so the prefix and the first drawn digits stay as drawn.
    private string WithIndex(string drawn, int index)
    {
        Span<char> buffer = stackalloc char[drawn.Length];
        drawn.AsSpan().CopyTo(buffer);
        var code = _panCode.Encode(index);
        for (var at = drawn.Length - 2; at >= drawn.Length - 11; at--)
        {
            buffer[at] = (char)('0' + (code % 10));
            code /= 10;
        }

        buffer[^1] = Luhn.CheckDigit(buffer[..^1]);
        return new string(buffer);
    }

    private string PhoneWithIndex(string drawn, int[] positions, int index)
    {
        Span<char> buffer = stackalloc char[drawn.Length];
        drawn.AsSpan().CopyTo(buffer);
        var code = _phoneCode.Encode(index);
        for (var i = positions.Length - 1; i >= 0; i--)
        {
            buffer[positions[i]] = (char)('0' + (code % 10));
            code /= 10;
        }

        return new string(buffer);
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

    private static string Digits(Random r, int count)
    {
        Span<char> buffer = stackalloc char[count];
        for (var i = 0; i < count; i++)
        {
            buffer[i] = (char)('0' + r.Next(0, 10));
        }

        return new string(buffer);
    }

    private static string Digit(Random r, int min, int max) => ((char)('0' + r.Next(min, max + 1))).ToString();

    private static string ZhPhone(Random r)
    {
        Span<char> buffer = stackalloc char[11];
        buffer[0] = '1';
        buffer[1] = (char)('0' + r.Next(3, 10));
        for (var i = 2; i < 11; i++)
        {
            buffer[i] = (char)('0' + r.Next(0, 10));
        }

        return new string(buffer);
    }

    private static string UsPhone(Random r)
    {
        Span<char> buffer = stackalloc char[12];
        buffer[0] = '+';
        buffer[1] = '1';
        for (var i = 2; i < 12; i++)
        {
            buffer[i] = (char)('0' + (i is 2 or 5 ? r.Next(2, 10) : r.Next(0, 10)));
        }

        return new string(buffer);
    }

    private static string Different(string value, Random r, Func<Random, string> draw)
    {
        for (var i = 0; i < 8; i++)
        {
            var candidate = draw(r);
            if (candidate != value)
            {
                return candidate;
            }
        }

        return value[..^1] + (value[^1] == '0' ? '1' : '0');
    }

    /// <summary>A locale's name lists, read once from Bogus' data; a pick is one draw, as Faker.Name makes it.</summary>
    private sealed class NameLists(string locale)
    {
        private readonly string[] _first = Read(locale, "first_name");
        private readonly string[] _last = Read(locale, "last_name");

        public string First(Random r) => _first[r.Next(0, _first.Length)];

        public string Last(Random r) => _last[r.Next(0, _last.Length)];

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
