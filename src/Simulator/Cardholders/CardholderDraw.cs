using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Text;
using PaySim.Simulator.Cards;

namespace PaySim.Simulator.Cardholders;

/// <summary>
/// One cardholder as <see cref="CardholderGenerator.Derive"/> draws it, before any string is made: the
/// digits as ASCII bytes, the names as the list entries they are made of. The export formats it straight
/// into UTF-8 (<see cref="CardholderUtf8"/>); <see cref="ToRecord"/> makes the
/// <see cref="CardholderRecord"/> the registry hands out. A mutable struct of about 200 bytes: one per
/// thread, filled again for every card, passed by <c>ref</c>.
/// </summary>
internal struct CardholderDraw
{
    public const string ZhCurrency = "CNY";
    public const string EnCurrency = "USD";

    public int Index;
    public bool Zh;
    public Persona Persona;
    public CardNetwork Network;
    public AsciiText Pan;
    public AsciiText Expiry;
    public AsciiText Cvv;
    public NameParts Name;
    public NameParts WrongName;
    public AsciiText Id;
    public AsciiText WrongId;
    public AsciiText Phone;
    public AsciiText WrongPhone;
    public long BalanceMinor;
    public long DailyLimitMinor;

    public readonly string Locale => Zh ? CardholderGenerator.ZhCn : CardholderGenerator.En;

    /// <summary>The name a test client types: the wrong one for a name-mismatch card.</summary>
    public readonly NameParts InputName => Persona == Persona.NameMismatch ? WrongName : Name;

    [UnscopedRef]
    public ref AsciiText InputId => ref Persona == Persona.IdMismatch ? ref WrongId : ref Id;

    [UnscopedRef]
    public ref AsciiText InputPhone => ref Persona == Persona.PhoneMismatch ? ref WrongPhone : ref Phone;

    public readonly CardholderRecord ToRecord()
    {
        var (code, reason) = CardholderGenerator.Expected(Persona);
        var name = Name.ToString();
        var id = Id.ToString();
        var phone = Phone.ToString();
        return new CardholderRecord
        {
            Index = Index,
            Pan = Pan.ToString(),
            Network = Network,
            Expiry = Expiry.ToString(),
            Cvv = Cvv.ToString(),
            HolderName = name,
            IdNumber = id,
            Phone = phone,
            BalanceMinor = BalanceMinor,
            DailyLimitMinor = DailyLimitMinor,
            Currency = Zh ? ZhCurrency : EnCurrency,
            Status = CardholderGenerator.Status(Persona),
            Persona = Persona,
            Locale = Locale,
            InputHolderName = Persona == Persona.NameMismatch ? WrongName.ToString() : name,
            InputIdNumber = Persona == Persona.IdMismatch ? WrongId.ToString() : id,
            InputPhone = Persona == Persona.PhoneMismatch ? WrongPhone.ToString() : phone,
            ExpectedResponseCode = code,
            ExpectedDeclineReason = reason,
        };
    }
}

/// <summary>Up to 18 ASCII characters held inline (a PAN, a CVV, an id number, a phone, an expiry).</summary>
internal struct AsciiText
{
    public const int Capacity = 18;

    private Bytes _bytes;
    private int _length;

    [UnscopedRef]
    public Span<byte> Span => ((Span<byte>)_bytes)[.._length];

    /// <summary>Sets the length to <paramref name="length"/> and returns the characters to fill in.</summary>
    [UnscopedRef]
    public Span<byte> Reset(int length)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, Capacity);
        _length = length;
        return Span;
    }

    public override readonly string ToString() => Encoding.ASCII.GetString(((ReadOnlySpan<byte>)_bytes)[.._length]);

    [InlineArray(Capacity)]
    private struct Bytes
    {
        private byte _byte0;
    }
}

/// <summary>A name from Bogus' lists (or a piece joined to one), with its UTF-8 bytes ready for the export.</summary>
internal sealed class NameEntry
{
    private NameEntry? _initial;

    public NameEntry(string text)
    {
        Text = text;
        Utf8 = Encoding.UTF8.GetBytes(text);

        // Written as is in both formats only if the CSV needs no quotes and the JSON encoder escapes nothing.
        // No surrogates either, so any piece of it (its first character) is as plain as the whole.
        Plain = text.AsSpan().IndexOfAny(",\"\n\r") < 0
            && !text.Any(char.IsSurrogate)
            && CardholderExport.JsonOptions.Encoder!.FindFirstCharacterToEncodeUtf8(Utf8) < 0;
    }

    public static readonly NameEntry Space = new(" ");

    /// <summary>The "e" an English wrong first name gets when the drawn one is the right one.</summary>
    public static readonly NameEntry E = new("e");

    public string Text { get; }

    public byte[] Utf8 { get; }

    public bool Plain { get; }

    /// <summary>The first character (a Chinese wrong given name doubles it). Made once, on first use.</summary>
    public NameEntry Initial => _initial ??= new NameEntry(Text[..1]);
}

/// <summary>A name as the concatenation of up to four entries, so making it costs no string.</summary>
internal readonly struct NameParts(NameEntry first, NameEntry second, NameEntry? third = null, NameEntry? fourth = null)
{
    public bool Plain => first.Plain && second.Plain && (third?.Plain ?? true) && (fourth?.Plain ?? true);

    public int Utf8Length => first.Utf8.Length + second.Utf8.Length + (third?.Utf8.Length ?? 0) + (fourth?.Utf8.Length ?? 0);

    /// <summary>UTF-16 characters: the export sizes its buffer by them (an escaped character takes at most 6 bytes).</summary>
    public int Length => first.Text.Length + second.Text.Length + (third?.Text.Length ?? 0) + (fourth?.Text.Length ?? 0);

    /// <summary>Copies the UTF-8 bytes into <paramref name="into"/>; returns how many.</summary>
    public int CopyUtf8(Span<byte> into)
    {
        var at = Copy(first, into, 0);
        at = Copy(second, into, at);
        at = Copy(third, into, at);
        return Copy(fourth, into, at);
    }

    public override string ToString() => string.Concat(first.Text, second.Text, third?.Text, fourth?.Text);

    private static int Copy(NameEntry? entry, Span<byte> into, int at)
    {
        if (entry is null)
        {
            return at;
        }

        entry.Utf8.CopyTo(into[at..]);
        return at + entry.Utf8.Length;
    }
}
