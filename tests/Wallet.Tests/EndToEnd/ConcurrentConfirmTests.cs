using System.Net;
using PaySim.Wallet.Configuration;

namespace PaySim.Wallet.Tests.EndToEnd;

/// <summary>An app that double-taps "confirm" (or retries on a lost reply, on any instance) must end with one card.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class ConcurrentConfirmTests
{
    [Theory]
    [InlineData(WalletMode.Resilient)]
    [InlineData(WalletMode.Naive)]
    public async Task Thirty_concurrent_confirms_of_one_binding_create_exactly_one_card(WalletMode mode)
    {
        await using var cluster = await Cluster.StartAsync(mode, wallet: o => o.Instances = 2);
        var client = await cluster.NewUserAsync();
        var card = cluster.Cardholder("healthy");
        var start = await Cluster.StartBindingAsync(client, card);
        Assert.Equal(HttpStatusCode.Created, start.Status);
        var sms = await cluster.ReadSmsAsync(card.Phone, TimeSpan.FromSeconds(10));
        Assert.NotNull(sms);

        var replies = await Task.WhenAll(Enumerable.Range(0, 30).Select(i =>
        {
            var instance = cluster.Client(i % 2);
            instance.Token = client.Token;
            return instance.PostAsync($"/cards/bind/{start.Str("bindingId")}/confirm", new { otp = sms.Otp });
        }));

        var bound = replies.Where(r => r.Status == HttpStatusCode.Created).ToList();
        Assert.NotEmpty(bound);
        Assert.All(replies, r => Assert.True(r.Status is HttpStatusCode.Created || (int)r.Status is >= 400 and < 500, r.ToString()));
        Assert.Single(bound.Select(r => r.Str("cardId")).Distinct());
        var cards = await client.GetAsync("/cards");
        var listed = Assert.Single(cards.Json!["cards"]!.AsArray());
        Assert.Equal(bound[0].Str("cardId"), listed!["cardId"]!.GetValue<string>());
    }
}
