namespace PaySim.Simulator.Cardholders;

internal sealed class CardholderRegistry : ICardholderRegistry
{
    private readonly Dictionary<string, CardholderRecord> _byPan = new(StringComparer.Ordinal);
    private readonly Dictionary<string, CardholderRecord> _byPhone = new(StringComparer.Ordinal);

    public CardholderRegistry(IEnumerable<CardholderRecord> generated)
    {
        var all = new List<CardholderRecord>();
        // Magic cards win a (vanishingly unlikely) PAN or phone clash, so their documented outcome holds.
        foreach (var magic in MagicCards.All)
        {
            _byPan[magic.Pan] = magic;
            _byPhone[magic.Phone] = magic;
        }

        foreach (var c in generated)
        {
            if (_byPan.TryAdd(c.Pan, c))
            {
                _byPhone.TryAdd(c.Phone, c);
                all.Add(c);
            }
        }

        all.AddRange(MagicCards.All);
        All = all;
    }

    public static CardholderRegistry Create(int seed, int count, double zhCnShare = 0.7, IReadOnlyDictionary<string, double>? weights = null) =>
        new(new CardholderGenerator(seed, zhCnShare, weights).GenerateMany(count).ToList());

    public IReadOnlyList<CardholderRecord> All { get; }

    /// <summary>The locales cardholders are generated in; a filter on any other is refused.</summary>
    public static IReadOnlyList<string> Locales { get; } = [CardholderGenerator.ZhCn, CardholderGenerator.En];

    public CardholderRecord? FindByPan(string pan) => _byPan.GetValueOrDefault(pan);

    public CardholderRecord? FindByPhone(string phone) => _byPhone.GetValueOrDefault(phone);

    public IEnumerable<CardholderRecord> List(int count, string? persona = null, string? locale = null, int offset = 0)
    {
        Persona? wanted = null;
        if (!string.IsNullOrEmpty(persona))
        {
            if (!Personas.TryParse(persona, out var p))
            {
                throw new ArgumentException($"persona '{persona}' is unknown; allowed: {Personas.AllNames}");
            }

            wanted = p;
        }

        if (!string.IsNullOrEmpty(locale) && !Locales.Contains(locale, StringComparer.OrdinalIgnoreCase))
        {
            throw new ArgumentException($"locale '{locale}' is unknown; allowed: {string.Join(", ", Locales)}");
        }

        return All
            .Where(c => wanted is null || c.Persona == wanted)
            .Where(c => string.IsNullOrEmpty(locale) || string.Equals(c.Locale, locale, StringComparison.OrdinalIgnoreCase))
            .Skip(Math.Max(0, offset))
            .Take(Math.Max(0, count));
    }
}
