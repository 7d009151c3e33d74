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
        Assert.Equal(59, registry.All.Count);
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
}
