using PaySim.Simulator.Cardholders;
using PaySim.Simulator.Cards;

namespace PaySim.Simulator.Tests.Cardholders;

public sealed class CardholderRegistryTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(99)]
    public void EveryRegistry_HoldsTheSameNineMagicCards_WhateverTheSeed(int seed)
    {
        var registry = CardholderRegistry.Create(seed, 50);
        var magic = registry.List(100, "magic").ToList();
        Assert.Equal(["00", "05", "14", "51", "54", "55", "61", "91", "96"], magic.Select(m => m.ExpectedResponseCode));
        Assert.Equal(MagicCards.All.Select(m => m.Pan), magic.Select(m => m.Pan));
        Assert.All(magic, m => Assert.True(Luhn.IsValid(m.Pan)));
        Assert.All(magic, m => Assert.Same(m, registry.FindByPan(m.Pan)));
        Assert.Equal(59, registry.Count);
    }

    [Fact]
    public void MagicCardPans_AreTheOnesDocumented()
    {
        Assert.Equal(
            ["6299990000000009", "6299990000000504", "6299990000001403", "6299990000005107", "6299990000005404",
             "6299990000005503", "6299990000006105", "6299990000009109", "6299990000009604"],
            MagicCards.All.Select(m => m.Pan));
        Assert.All(MagicCards.All, m => Assert.Equal("138000000" + m.ExpectedResponseCode, m.Phone));
    }

    [Fact]
    public void List_FiltersByPersonaAndLocale_WithCountAndOffset()
    {
        var registry = CardholderRegistry.Create(42, 1000);
        var healthy = registry.List(1000, "healthy").ToList();
        Assert.All(healthy, c => Assert.Equal(Persona.Healthy, c.Persona));
        Assert.Equal(healthy.Skip(5).Take(3), registry.List(3, "healthy", offset: 5));
        Assert.All(registry.List(20, locale: "en"), c => Assert.Equal("en", c.Locale));
        Assert.Throws<ArgumentException>(() => registry.List(1, "nobody").ToList());
    }

    [Fact]
    public void AHundredMillionCardholders_AreFoundByPanAndPhone_WithoutATable()
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        var registry = CardholderRegistry.Create(42, CardholderGenerator.MaxCount);
        // Nothing is generated up front (the magic cards' PAN check derives at most 9 cards).
        Assert.InRange(GC.GetAllocatedBytesForCurrentThread() - before, 0, 256 * 1024);
        Assert.Equal(CardholderGenerator.MaxCount + MagicCards.All.Count, registry.Count);

        var generator = new CardholderGenerator(42);
        foreach (var index in new[] { 0, 1, 12_345_678, CardholderGenerator.MaxCount - 1 })
        {
            var card = generator.Generate(index);
            Assert.Equal(card, registry.FindByPan(card.Pan));
            Assert.Equal(card, registry.FindByPhone(card.Phone));
        }

        // Unfiltered, a page deep in the file starts at its position.
        Assert.Equal(
            generator.GenerateMany(2, offset: 99_999_998).Select(c => c.Pan).Concat(MagicCards.All.Take(2).Select(m => m.Pan)),
            registry.List(4, offset: 99_999_998).Select(c => c.Pan));
    }

    [Fact]
    public void ACardBeyondTheRegistrysCount_OrAPanOneDigitOff_IsNotOnFile()
    {
        var registry = CardholderRegistry.Create(42, 1_000);
        var beyond = new CardholderGenerator(42).Generate(1_000);
        Assert.Null(registry.FindByPan(beyond.Pan));
        Assert.Null(registry.FindByPhone(beyond.Phone));

        var card = new CardholderGenerator(42).Generate(10);
        // Same index digits, another drawn digit (Luhn fixed up): it names card #10, which has another PAN.
        var other = card.Pan[..2] + (card.Pan[2] == '9' ? '0' : (char)(card.Pan[2] + 1)) + card.Pan[3..^1];
        Assert.Null(registry.FindByPan(Luhn.Complete(other)));
        Assert.Null(registry.FindByPan(card.Pan[..^1] + (card.Pan[^1] == '0' ? '1' : '0')));
        Assert.Same(registry.FindByPan(card.Pan), registry.FindByPan(card.Pan));
    }

    [Fact]
    public void All_AndPaging_WalkTheSameCards_AsTheGenerator()
    {
        var registry = CardholderRegistry.Create(42, 1_000);
        var all = registry.All.ToList();
        Assert.Equal(registry.Count, all.Count);
        Assert.Equal(new CardholderGenerator(42).GenerateMany(1_000), all.Take(1_000));
        Assert.Equal(all.Skip(990).Take(15), registry.List(15, offset: 990));
        Assert.Equal(all.Where(c => c.Locale == "en").Skip(100).Take(10), registry.List(10, locale: "en", offset: 100));
    }
}
