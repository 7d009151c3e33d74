using System.Text;
using System.Text.Json;
using PaySim.Simulator.Cardholders;

namespace PaySim.Simulator.Tests.Cardholders;

/// <summary>
/// The export writes a derived card straight into UTF-8 (CardholderUtf8); those bytes must be the ones the
/// record and the string writers (CardholderExport) make for the same card, in both formats, for every
/// locale and persona, and for names that need CSV quotes or JSON escapes.
/// </summary>
public sealed class CardholderUtf8Tests
{
    private static readonly Dictionary<string, double> EveryPersona =
        Personas.Generated.ToDictionary(Personas.Name, _ => 1.0);

    public static TheoryData<int, double, bool> Generators => new()
    {
        { 42, 0.7, false },
        { 7, 0.3, true },
        { -3, 1.0, true },
        { int.MaxValue, 0.0, false },
    };

    [Theory]
    [MemberData(nameof(Generators))]
    public void DerivedCards_FormatToTheBytesOfTheirRecords(int seed, double zhCnShare, bool everyPersona)
    {
        var generator = new CardholderGenerator(seed, zhCnShare, everyPersona ? EveryPersona : null);
        var indices = Enumerable.Range(0, 4_000).Concat(Enumerable.Range(CardholderGenerator.MaxCount - 200, 200));
        var draw = default(CardholderDraw);
        var buffer = new byte[4096];
        foreach (var i in indices)
        {
            generator.Derive(i, ref draw);
            var record = generator.Generate(i);
            Assert.Equal(record, draw.ToRecord());
            AssertSameBytes(ref draw, record, buffer);
        }
    }

    [Fact]
    public void NamesThatNeedQuotesOrEscapes_AreWrittenAsTheStringWritersWriteThem()
    {
        var generator = new CardholderGenerator(5, 0.5, EveryPersona);
        var draw = default(CardholderDraw);
        var buffer = new byte[4096];
        string[] awkward = ["O\"Brien", "Smith, Jr", "line\nbreak", "cr\rhere", "back\\slash", "<b>&'", "tab\there", "\u0001ctl",
            "Zoë", "黄志强", "😀", "\u2028sep", "\uFFFF", "\"", ","];
        var n = 0;
        foreach (var first in awkward)
        {
            foreach (var second in awkward)
            {
                generator.Derive(n++, ref draw);
                draw.Persona = n % 2 == 0 ? Persona.NameMismatch : Persona.Healthy;
                draw.Name = new NameParts(new NameEntry(first), NameEntry.Space, new NameEntry("Lee"));
                draw.WrongName = new NameParts(new NameEntry("Kim"), new NameEntry(second));
                AssertSameBytes(ref draw, draw.ToRecord(), buffer);
            }
        }

        Assert.True(new NameEntry("黄志强").Plain);
        Assert.True(new NameEntry("Zoë").Plain);
        Assert.False(new NameEntry("O\"Brien").Plain);
        Assert.False(new NameEntry("Smith, Jr").Plain);
        Assert.False(new NameEntry("😀").Plain);
    }

    private static void AssertSameBytes(ref CardholderDraw draw, CardholderRecord record, byte[] buffer)
    {
        Assert.True(CardholderUtf8.MaxBytes(ref draw) <= buffer.Length);

        var row = new StringBuilder();
        CardholderExport.AppendCsvRow(row, record);
        var csv = CardholderUtf8.WriteCsv(ref draw, buffer, 0);
        Assert.Equal(Encoding.UTF8.GetBytes(row.ToString()), buffer.AsSpan(0, csv).ToArray());

        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, CardholderExport.JsonOptions))
        {
            CardholderExport.WriteJsonObject(json, record);
        }

        // Written after a few bytes already in the buffer, as the export appends to a block.
        var written = CardholderUtf8.WriteJson(ref draw, buffer, 7);
        Assert.Equal(stream.ToArray(), buffer.AsSpan(7, written).ToArray());
        Assert.True(written <= CardholderUtf8.MaxBytes(ref draw));
    }
}
