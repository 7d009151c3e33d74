using System.Text;
using PaySim.Simulator.Cardholders;
using PaySim.Simulator.Cards;

namespace PaySim.Simulator.Tests.Cardholders;

public sealed class CardholderGeneratorTests
{
    private static readonly List<CardholderRecord> TenThousand = new CardholderGenerator(42).GenerateMany(10_000).ToList();

    [Fact]
    public void TenThousandCards_AllPassLuhnAndMatchTheirNetwork()
    {
        Assert.All(TenThousand, c =>
        {
            Assert.True(Luhn.IsValid(c.Pan), c.Pan);
            Assert.Equal(c.Network, CardNetworks.Detect(c.Pan));
            Assert.Equal(CardNetworks.CvvLength(c.Network), c.Cvv.Length);
            Assert.Matches(@"^(0[1-9]|1[0-2])/\d{2}$", c.Expiry);
        });
        foreach (var network in Enum.GetValues<CardNetwork>())
        {
            Assert.Contains(TenThousand, c => c.Network == network);
        }
    }

    [Fact]
    public void TenThousandCards_ZhCnHolders_HaveValidResidentIdsAndMainlandMobiles()
    {
        var zh = TenThousand.Where(c => c.Locale == "zh_CN").ToList();
        Assert.All(zh, c =>
        {
            Assert.True(ResidentId.IsValid(c.IdNumber), c.IdNumber);
            Assert.Matches(@"^1[3-9]\d{9}$", c.Phone);
            Assert.Equal("CNY", c.Currency);
            Assert.DoesNotContain(' ', c.HolderName);
        });
        Assert.All(TenThousand.Where(c => c.Locale == "en"), c =>
        {
            Assert.Matches(@"^\+1[2-9]\d{2}[2-9]\d{6}$", c.Phone);
            Assert.Equal("USD", c.Currency);
        });
        Assert.All(zh.Where(c => c.Persona == Persona.IdMismatch), c =>
        {
            Assert.NotEqual(c.IdNumber, c.InputIdNumber);
            Assert.True(ResidentId.IsValid(c.InputIdNumber));
        });
    }

    [Fact]
    public void ZhCnShare_OfTenThousand_IsSeventyPercentWithinTwoPoints()
    {
        var share = TenThousand.Count(c => c.Locale == "zh_CN") / 10_000.0;
        Assert.InRange(share, 0.68, 0.72);
    }

    [Fact]
    public void PersonaWeights_AreHonouredWithinOnePointOfEachShare()
    {
        foreach (var (name, weight) in Personas.DefaultWeights())
        {
            Assert.True(Personas.TryParse(name, out var persona), name);
            var share = TenThousand.Count(c => c.Persona == persona) / 10_000.0;
            Assert.InRange(share, weight - 0.01, weight + 0.01);
        }

        var onlyBlocked = new CardholderGenerator(1, 0.7, new Dictionary<string, double> { ["blocked"] = 1 }).GenerateMany(200);
        Assert.All(onlyBlocked, c => Assert.Equal(Persona.Blocked, c.Persona));
    }

    [Fact]
    public void MismatchPersonas_TypeAWrongValue_AndEveryOtherPersonaTypesTheValueOnFile()
    {
        Assert.All(TenThousand, c =>
        {
            Assert.Equal(c.Persona == Persona.NameMismatch, c.InputHolderName != c.HolderName);
            Assert.Equal(c.Persona == Persona.IdMismatch, c.InputIdNumber != c.IdNumber);
            Assert.Equal(c.Persona == Persona.PhoneMismatch, c.InputPhone != c.Phone);
        });
    }

    [Fact]
    public void SameSeed_GivesTheSameCardholderAtAnIndex_WhateverTheCount()
    {
        var alone = new CardholderGenerator(42).Generate(9_999);
        Assert.Equal(TenThousand[9_999], alone);
        Assert.Equal(TenThousand.Take(50), new CardholderGenerator(42).GenerateMany(50));
    }

    [Fact]
    public void SameSeed_GivesByteIdenticalCsv_AndAnotherSeedDiffers()
    {
        static string Csv(int seed)
        {
            var sb = new StringWriter(new StringBuilder());
            CardholderExport.WriteCsv(sb, new CardholderGenerator(seed).GenerateMany(500));
            return sb.ToString();
        }

        Assert.Equal(Csv(7), Csv(7));
        Assert.NotEqual(Csv(7), Csv(8));
    }

    [Fact]
    public void EveryCard_CarriesItsIndex_InItsPanAndReservedPhone_AndPansAndPhonesAreUnique()
    {
        var generator = new CardholderGenerator(42);
        Assert.All(TenThousand, c =>
        {
            Assert.Equal(c.Index, generator.IndexOfPan(c.Pan));
            Assert.Equal(c.Index, generator.IndexOfPhone(c.Phone));
        });
        Assert.Equal(TenThousand.Count, TenThousand.Select(c => c.Pan).Distinct().Count());
        Assert.Equal(TenThousand.Count, TenThousand.Select(c => c.Phone).Distinct().Count());
        // Another seed numbers its cards with another key: its PANs name other indices (or none) here.
        var other = new CardholderGenerator(43).GenerateMany(100).ToList();
        Assert.True(other.Count(c => generator.IndexOfPan(c.Pan) == c.Index) <= 1);
        Assert.Equal(-1, generator.IndexOfPan("not-a-pan"));
        Assert.Equal(-1, generator.IndexOfPhone("+44 20 7946 0000"));
    }

    [Fact]
    public void TheLastIndex_IsDerivedAndFoundLikeTheFirst_AndOneMoreIsRefused()
    {
        var generator = new CardholderGenerator(42);
        var last = generator.Generate(CardholderGenerator.MaxCount - 1);
        Assert.True(Luhn.IsValid(last.Pan));
        Assert.Equal(CardholderGenerator.MaxCount - 1, generator.IndexOfPan(last.Pan));
        Assert.Equal(CardholderGenerator.MaxCount - 1, generator.IndexOfPhone(last.Phone));
        Assert.Throws<ArgumentOutOfRangeException>(() => generator.Generate(CardholderGenerator.MaxCount));
    }

    [Theory]
    [InlineData(4)]
    [InlineData(5)]
    public void IndexCode_IsAPermutation_ThatDecodesWhatItEncodes(int halfDigits)
    {
        var code = new IndexCode(42, halfDigits, 7);
        var seen = new HashSet<long>();
        var random = new Random(1);
        for (var i = 0; i < 20_000; i++)
        {
            var value = i < 10_000 ? i : random.NextInt64(code.Size);
            var encoded = code.Encode(value);
            Assert.InRange(encoded, 0, code.Size - 1);
            Assert.Equal(value, code.Decode(encoded));
            if (i < 10_000)
            {
                Assert.True(seen.Add(encoded));
            }
        }
    }
}
