using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using PaySim.Simulator.Cards;

namespace PaySim.Simulator.Cardholders;

/// <summary>
/// A derived cardholder as a CSV row or a JSON object, written straight into a UTF-8 buffer: the bytes of
/// <see cref="CardholderExport.AppendCsvRow"/> and <see cref="CardholderExport.WriteJsonObject"/>
/// for the same card, without the ~15 strings, the StringBuilder and the UTF-16 → UTF-8 pass per row.
/// Every value but the names is ASCII that neither format quotes or escapes; a name that would need it
/// (none in Bogus' lists today) goes the old way, through the record and the writers above.
/// </summary>
internal static class CardholderUtf8
{
    // Persona → its persona, status, expected code and reason as UTF-8, made once from the same functions
    // the record uses, so the two paths cannot disagree.
    private static readonly PersonaText[] ByPersona = ByValue<Persona, PersonaText>(p => new PersonaText(p));
    private static readonly byte[][] NetworkNames = ByValue<CardNetwork, byte[]>(n => Encoding.UTF8.GetBytes(CardNetworks.Name(n)));
    private static readonly byte[] ZhCurrency = Encoding.UTF8.GetBytes(CardholderDraw.ZhCurrency);
    private static readonly byte[] EnCurrency = Encoding.UTF8.GetBytes(CardholderDraw.EnCurrency);
    private static readonly byte[] ZhLocale = Encoding.UTF8.GetBytes(CardholderGenerator.ZhCn);
    private static readonly byte[] EnLocale = Encoding.UTF8.GetBytes(CardholderGenerator.En);

    /// <summary>
    /// The most bytes <see cref="WriteCsv"/> or <see cref="WriteJson"/> can write for this card: the fixed
    /// part (JSON's field names and the widest values take about 560), and each name at 6 bytes a UTF-16
    /// character (a JSON <c>\uXXXX</c> escape; UTF-8 and CSV quoting take less), twice (holder and input).
    /// </summary>
    public static int MaxBytes(ref CardholderDraw d) => 1024 + (2 * 6 * (d.Name.Length + d.WrongName.Length));

    /// <summary>The CSV row (with its newline) into <paramref name="buffer"/> at <paramref name="at"/>; returns the bytes written.</summary>
    public static int WriteCsv(ref CardholderDraw d, byte[] buffer, int at)
    {
        var inputName = d.InputName;
        if (!d.Name.Plain || !inputName.Plain)
        {
            var row = new StringBuilder(256);
            CardholderExport.AppendCsvRow(row, d.ToRecord());
            return Encoding.UTF8.GetBytes(row.ToString(), buffer.AsSpan(at));
        }

        var persona = ByPersona[(int)d.Persona];
        var w = new Cursor(buffer.AsSpan(at));
        w.Number(d.Index);
        w.Field(d.Pan.Span);
        w.Field(NetworkNames[(int)d.Network]);
        w.Field(d.Expiry.Span);
        w.Field(d.Cvv.Span);
        w.Field(d.Name);
        w.Field(d.Id.Span);
        w.Field(d.Phone.Span);
        w.Raw(","u8);
        w.Number(d.BalanceMinor);
        w.Raw(","u8);
        w.Number(d.DailyLimitMinor);
        w.Field(d.Zh ? ZhCurrency : EnCurrency);
        w.Field(persona.Status);
        w.Field(persona.Name);
        w.Field(d.Zh ? ZhLocale : EnLocale);
        w.Field(inputName);
        w.Field(d.InputId.Span);
        w.Field(d.InputPhone.Span);
        w.Field(persona.Code);
        w.Field(persona.Reason);
        w.Raw(",false\n"u8);
        return w.Written;
    }

    /// <summary>The JSON object (no separator around it) into <paramref name="buffer"/> at <paramref name="at"/>; returns the bytes written.</summary>
    public static int WriteJson(ref CardholderDraw d, byte[] buffer, int at)
    {
        var inputName = d.InputName;
        if (!d.Name.Plain || !inputName.Plain)
        {
            using var stream = new MemoryStream(buffer, at, buffer.Length - at);
            using (var json = new Utf8JsonWriter(stream, CardholderExport.JsonOptions))
            {
                CardholderExport.WriteJsonObject(json, d.ToRecord());
            }

            return (int)stream.Position;
        }

        var persona = ByPersona[(int)d.Persona];
        var w = new Cursor(buffer.AsSpan(at));
        w.Raw("{\"index\":"u8);
        w.Number(d.Index);
        w.Raw(",\"pan\":\""u8);
        w.Raw(d.Pan.Span);
        w.Raw("\",\"network\":\""u8);
        w.Raw(NetworkNames[(int)d.Network]);
        w.Raw("\",\"expiry\":\""u8);
        w.Raw(d.Expiry.Span);
        w.Raw("\",\"cvv\":\""u8);
        w.Raw(d.Cvv.Span);
        w.Raw("\",\"holderName\":\""u8);
        w.Name(d.Name);
        w.Raw("\",\"idNumber\":\""u8);
        w.Raw(d.Id.Span);
        w.Raw("\",\"phone\":\""u8);
        w.Raw(d.Phone.Span);
        w.Raw("\",\"balanceMinor\":"u8);
        w.Number(d.BalanceMinor);
        w.Raw(",\"dailyLimitMinor\":"u8);
        w.Number(d.DailyLimitMinor);
        w.Raw(",\"currency\":\""u8);
        w.Raw(d.Zh ? ZhCurrency : EnCurrency);
        w.Raw("\",\"status\":\""u8);
        w.Raw(persona.Status);
        w.Raw("\",\"persona\":\""u8);
        w.Raw(persona.Name);
        w.Raw("\",\"locale\":\""u8);
        w.Raw(d.Zh ? ZhLocale : EnLocale);
        w.Raw("\",\"inputHolderName\":\""u8);
        w.Name(inputName);
        w.Raw("\",\"inputIdNumber\":\""u8);
        w.Raw(d.InputId.Span);
        w.Raw("\",\"inputPhone\":\""u8);
        w.Raw(d.InputPhone.Span);
        w.Raw("\",\"expectedResponseCode\":\""u8);
        w.Raw(persona.Code);
        w.Raw("\",\"expectedDeclineReason\":\""u8);
        w.Raw(persona.Reason);
        w.Raw("\",\"magic\":false}"u8);
        return w.Written;
    }

    /// <summary>A write position in a span; every write is bounds-checked by the span.</summary>
    private ref struct Cursor(Span<byte> buffer)
    {
        private readonly Span<byte> _buffer = buffer;

        public int Written { get; private set; }

        public void Raw(scoped ReadOnlySpan<byte> bytes)
        {
            bytes.CopyTo(_buffer[Written..]);
            Written += bytes.Length;
        }

        public void Field(scoped ReadOnlySpan<byte> bytes)
        {
            _buffer[Written++] = (byte)',';
            Raw(bytes);
        }

        public void Field(NameParts name)
        {
            _buffer[Written++] = (byte)',';
            Name(name);
        }

        public void Name(NameParts name) => Written += name.CopyUtf8(_buffer[Written..]);

        public void Number(long value)
        {
            if (!Utf8Formatter.TryFormat(value, _buffer[Written..], out var length))
            {
                throw new InvalidOperationException("the row buffer is too small");
            }

            Written += length;
        }
    }

    // An array indexed by the enum's values (small, from 0).
    private static T[] ByValue<TEnum, T>(Func<TEnum, T> make)
        where TEnum : struct, Enum
    {
        var values = Enum.GetValues<TEnum>();
        var result = new T[values.Max(v => Convert.ToInt32(v, System.Globalization.CultureInfo.InvariantCulture)) + 1];
        foreach (var v in values)
        {
            result[Convert.ToInt32(v, System.Globalization.CultureInfo.InvariantCulture)] = make(v);
        }

        return result;
    }

    private sealed class PersonaText
    {
        public PersonaText(Persona persona)
        {
            var (code, reason) = CardholderGenerator.Expected(persona);
            Name = Encoding.UTF8.GetBytes(Personas.Name(persona));
            Status = Encoding.UTF8.GetBytes(CardholderGenerator.Status(persona));
            Code = Encoding.UTF8.GetBytes(code);
            Reason = Encoding.UTF8.GetBytes(reason);
        }

        public byte[] Name { get; }

        public byte[] Status { get; }

        public byte[] Code { get; }

        public byte[] Reason { get; }
    }
}
