namespace PaySim.Simulator.Cardholders;

/// <summary>
/// The issuer's file without the file: cardholder #i is derived from (seed, i) when asked for, and found
/// by PAN or reserved phone through the index they carry (<see cref="CardholderGenerator.IndexOfPan"/>),
/// so a registry of 100,000,000 costs what one of 1,000 does. The magic cards are kept as they are, and
/// win a (vanishingly unlikely) PAN or phone clash, so their documented outcome holds; a generated card
/// whose PAN is a magic card's is left out, as a duplicate PAN always was.
/// </summary>
internal sealed class CardholderRegistry : ICardholderRegistry
{
    // Recently derived cards, one slot per (index mod size): a card under load is derived once, not on
    // every call. Records are immutable, so a racing write only costs a second derivation.
    private const int RecentSlots = 4096;

    private readonly CardholderGenerator _generator;
    private readonly int _generated;
    private readonly int[] _shadowed;
    private readonly Dictionary<string, CardholderRecord> _magicByPan = new(StringComparer.Ordinal);
    private readonly Dictionary<string, CardholderRecord> _magicByPhone = new(StringComparer.Ordinal);
    private readonly CardholderRecord?[] _recent = new CardholderRecord?[RecentSlots];

    public CardholderRegistry(int seed, int count, double zhCnShare = 0.7, IReadOnlyDictionary<string, double>? weights = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, CardholderGenerator.MaxCount);
        _generator = new CardholderGenerator(seed, zhCnShare, weights);
        _generated = count;
        foreach (var magic in MagicCards.All)
        {
            _magicByPan[magic.Pan] = magic;
            _magicByPhone[magic.Phone] = magic;
        }

        var shadowed = new List<int>();
        foreach (var magic in MagicCards.All)
        {
            var index = _generator.IndexOfPan(magic.Pan);
            if (index >= 0 && index < count && _generator.Generate(index).Pan == magic.Pan)
            {
                shadowed.Add(index);
            }
        }

        _shadowed = [.. shadowed.Order()];
    }

    public static CardholderRegistry Create(int seed, int count, double zhCnShare = 0.7, IReadOnlyDictionary<string, double>? weights = null) =>
        new(seed, count, zhCnShare, weights);

    /// <summary>Generated cards (index order), then the magic cards: derived one at a time, never all held.</summary>
    public IEnumerable<CardholderRecord> All => Generated(0, CancellationToken.None).Concat(MagicCards.All);

    public int Count => _generated - _shadowed.Length + MagicCards.All.Count;

    /// <summary>The locales cardholders are generated in; a filter on any other is refused.</summary>
    public static IReadOnlyList<string> Locales { get; } = [CardholderGenerator.ZhCn, CardholderGenerator.En];

    public CardholderRecord? FindByPan(string pan)
    {
        if (_magicByPan.TryGetValue(pan, out var magic))
        {
            return magic;
        }

        var index = _generator.IndexOfPan(pan);
        if (index < 0 || index >= _generated)
        {
            return null;
        }

        var card = Get(index);
        return card.Pan == pan ? card : null;
    }

    public CardholderRecord? FindByPhone(string phone)
    {
        if (_magicByPhone.TryGetValue(phone, out var magic))
        {
            return magic;
        }

        var index = _generator.IndexOfPhone(phone);
        if (index < 0 || index >= _generated || Array.BinarySearch(_shadowed, index) >= 0)
        {
            return null;
        }

        var card = Get(index);
        return card.Phone == phone ? card : null;
    }

    public IEnumerable<CardholderRecord> List(int count, string? persona = null, string? locale = null, int offset = 0, CancellationToken cancellationToken = default)
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

        return Page(Math.Max(0, count), wanted, string.IsNullOrEmpty(locale) ? null : locale, Math.Max(0, offset), cancellationToken);
    }

    private IEnumerable<CardholderRecord> Page(int count, Persona? wanted, string? locale, int offset, CancellationToken cancellationToken)
    {
        if (count == 0)
        {
            yield break;
        }

        // Unfiltered, the offset is a position: start there instead of deriving every card before it.
        // Filtered, a persona or locale no generated card has (weight 0, magic) skips straight to the magic cards: a
        // registry of 100,000,000 is not scanned for nothing.
        var candidates = _generator.Makes(wanted, Locale(locale)) ? Generated(0, cancellationToken).Concat(MagicCards.All) : MagicCards.All;
        var cards = wanted is null && locale is null
            ? Generated(IndexAt(offset), cancellationToken).Concat(MagicCards.All.Skip(Math.Max(0, offset - (_generated - _shadowed.Length))))
            : candidates.Where(c => (wanted is null || c.Persona == wanted) && (locale is null || string.Equals(c.Locale, locale, StringComparison.OrdinalIgnoreCase)))
                .Skip(offset);
        foreach (var card in cards)
        {
            yield return card;
            if (--count == 0)
            {
                yield break;
            }
        }
    }

    // The index of the generated card at a position of the listing (shadowed indices take no position).
    private int IndexAt(int position)
    {
        var index = position;
        foreach (var s in _shadowed)
        {
            if (s <= index)
            {
                index++;
            }
        }

        return Math.Min(index, _generated);
    }

    /// <summary>The locale as the generator spells it (<c>EN</c> is <c>en</c>: a filter is case-insensitive), or null for an unknown one.</summary>
    public static string? Locale(string? locale) =>
        locale is null ? null : Locales.FirstOrDefault(l => string.Equals(l, locale, StringComparison.OrdinalIgnoreCase));

    private IEnumerable<CardholderRecord> Generated(int from, CancellationToken cancellationToken)
    {
        for (var i = from; i < _generated; i++)
        {
            if ((i & 1023) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            if (_shadowed.Length == 0 || Array.BinarySearch(_shadowed, i) < 0)
            {
                yield return _generator.Generate(i);
            }
        }
    }

    private CardholderRecord Get(int index)
    {
        ref var slot = ref _recent[index & (RecentSlots - 1)];
        var card = Volatile.Read(ref slot);
        if (card is null || card.Index != index)
        {
            card = _generator.Generate(index);
            Volatile.Write(ref slot, card);
        }

        return card;
    }
}
