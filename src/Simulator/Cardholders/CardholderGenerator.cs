using System.Globalization;
using Bogus;
using PaySim.Simulator.Cards;

namespace PaySim.Simulator.Cardholders;

/// <summary>
/// Deterministic synthetic cardholders. Cardholder #i depends only on (seed, i, shares), never on how
/// many were generated before it, so a registry of 1,000 and an export of 100,000 agree on #0..#999.
/// Not thread-safe: the Bogus fakers are reused to keep generation cheap.
/// </summary>
internal sealed class CardholderGenerator
{
    public const string ZhCn = "zh_CN";
    public const string En = "en";

    private readonly int _seed;
    private readonly double _zhCnShare;
    private readonly double[] _cumulative;
    private readonly Faker _zh = new("zh_CN");
    private readonly Faker _en = new("en");

    public CardholderGenerator(int seed, double zhCnShare = 0.7, IReadOnlyDictionary<string, double>? personaWeights = null)
    {
        _seed = seed;
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

    public IEnumerable<CardholderRecord> GenerateMany(int count, int offset = 0)
    {
        for (var i = 0; i < count; i++)
        {
            yield return Generate(offset + i);
        }
    }

    public CardholderRecord Generate(int index)
    {
        var r = new Randomizer(IndexSeed(_seed, index));
        var zh = r.Double() < _zhCnShare;
        var faker = zh ? _zh : _en;
        faker.Random = r;
        var persona = PickPersona(r.Double());
        var network = PickNetwork(zh, r.Double());
        var pan = CardNetworks.Generate(network, n => r.Number(0, n - 1));

        var expired = persona == Persona.Expired;
        var month = r.Number(1, 12);
        var year = expired ? r.Number(16, 24) : r.Number(30, 35);
        var expiry = month.ToString("00", CultureInfo.InvariantCulture) + "/" + year.ToString("00", CultureInfo.InvariantCulture);
        var cvv = Digits(r, CardNetworks.CvvLength(network));

        string name, wrongName, id, wrongId, phone, wrongPhone;
        if (zh)
        {
            var surname = faker.Name.LastName();
            var given = faker.Name.FirstName();
            name = surname + given;
            var other = faker.Name.FirstName();
            wrongName = surname + (other == given ? given + given[0] : other);
            var region = r.ArrayElement(ResidentId.RegionCodes);
            var birth = new DateOnly(1960, 1, 1).AddDays(r.Number(0, 16435));
            var seq = r.Number(0, 999);
            id = ResidentId.Create(region, birth, seq);
            wrongId = ResidentId.Create(region, birth.AddDays(r.Number(1, 3000)), seq);
            phone = "1" + r.Number(3, 9).ToString(CultureInfo.InvariantCulture) + Digits(r, 9);
            wrongPhone = Different(phone, () => "1" + r.Number(3, 9).ToString(CultureInfo.InvariantCulture) + Digits(r, 9));
        }
        else
        {
            var first = faker.Name.FirstName();
            var last = faker.Name.LastName();
            name = first + " " + last;
            var otherFirst = faker.Name.FirstName();
            wrongName = (otherFirst == first ? first + "e" : otherFirst) + " " + last;
            id = r.Number(1, 9).ToString(CultureInfo.InvariantCulture) + Digits(r, 8);
            wrongId = Different(id, () => r.Number(1, 9).ToString(CultureInfo.InvariantCulture) + Digits(r, 8));
            phone = UsPhone(r);
            wrongPhone = Different(phone, () => UsPhone(r));
        }

        var balance = persona == Persona.LowBalance ? r.Number(0, 500) : r.Number(1_000, 50_000) * 100L;
        var limit = r.Number(200, 1_000) * 10_000L;
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

    private static string Digits(Randomizer r, int count)
    {
        Span<char> buffer = stackalloc char[count];
        for (var i = 0; i < count; i++)
        {
            buffer[i] = (char)('0' + r.Number(0, 9));
        }

        return new string(buffer);
    }

    private static string UsPhone(Randomizer r) =>
        "+1" + r.Number(2, 9).ToString(CultureInfo.InvariantCulture) + Digits(r, 2)
        + r.Number(2, 9).ToString(CultureInfo.InvariantCulture) + Digits(r, 2) + Digits(r, 4);

    private static string Different(string value, Func<string> draw)
    {
        for (var i = 0; i < 8; i++)
        {
            var candidate = draw();
            if (candidate != value)
            {
                return candidate;
            }
        }

        return value[..^1] + (value[^1] == '0' ? '1' : '0');
    }
}
