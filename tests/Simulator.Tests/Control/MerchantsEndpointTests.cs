using System.Net;
using System.Text.Json;
using PaySim.Contracts.Qr;
using PaySim.Simulator.Tests.Support;

namespace PaySim.Simulator.Tests.Control;

/// <summary>GET /v1/merchants: EMVCo merchant-presented QR codes the wallet can read, the same for the same seed, count bounded.</summary>
public sealed class MerchantsEndpointTests
{
    [Fact]
    public async Task Merchants_HandsOutValidQrCodes_StaticAndDynamic_InCurrency156()
    {
        await using var sim = await TestSimulator.StartAsync();

        using var doc = JsonDocument.Parse(await sim.Http.GetStringAsync("/v1/merchants?count=6"));
        var list = doc.RootElement.GetProperty("merchants").EnumerateArray().ToList();

        Assert.Equal(6, list.Count);
        Assert.Equal(6, list.Select(m => m.GetProperty("merchantId").GetString()).Distinct().Count());
        var withAmount = 0;
        foreach (var m in list)
        {
            Assert.True(EmvQr.TryParse(m.GetProperty("qr").GetString(), out var qr, out var problem), problem);
            Assert.Equal(m.GetProperty("merchantId").GetString(), qr!.MerchantId);
            Assert.Equal(m.GetProperty("name").GetString(), qr.Name);
            Assert.Equal(m.GetProperty("city").GetString(), qr.City);
            Assert.Equal("156", qr.CurrencyNumeric);
            Assert.Equal("156", m.GetProperty("currency").GetString());
            Assert.InRange(qr.Name.Length, 1, EmvQr.MaxNameLength);
            Assert.InRange(qr.City.Length, 1, EmvQr.MaxCityLength);
            if (m.TryGetProperty("amountMinor", out var amount) && amount.ValueKind == JsonValueKind.Number)
            {
                withAmount++;
                Assert.Equal(amount.GetInt64(), qr.AmountMinor);
            }
            else
            {
                Assert.Null(qr.AmountMinor);
            }
        }

        Assert.Equal(3, withAmount);
        using var defaults = JsonDocument.Parse(await sim.Http.GetStringAsync("/v1/merchants"));
        Assert.Equal(10, defaults.RootElement.GetProperty("merchants").GetArrayLength());
    }

    [Fact]
    public async Task Merchants_AreTheSameForTheSameSeed_AndOffsetPagesThem()
    {
        await using var a = await TestSimulator.StartAsync();
        await using var b = await TestSimulator.StartAsync();
        var options = TestSimulator.EphemeralOptions();
        options.Seed = 7;
        await using var other = await TestSimulator.StartAsync(options);

        var first = await a.Http.GetStringAsync("/v1/merchants?count=20");
        Assert.Equal(first, await b.Http.GetStringAsync("/v1/merchants?count=20"));
        Assert.NotEqual(first, await other.Http.GetStringAsync("/v1/merchants?count=20"));

        using var all = JsonDocument.Parse(first);
        using var page = JsonDocument.Parse(await a.Http.GetStringAsync("/v1/merchants?count=5&offset=15"));
        Assert.Equal(
            all.RootElement.GetProperty("merchants").EnumerateArray().Skip(15).Select(m => m.GetProperty("qr").GetString()),
            page.RootElement.GetProperty("merchants").EnumerateArray().Select(m => m.GetProperty("qr").GetString()));
    }

    [Theory]
    [InlineData("count=0", "count '0' must be a whole number from 1 to 1000")]
    [InlineData("count=1001", "count '1001' must be a whole number from 1 to 1000")]
    [InlineData("count=abc", "count 'abc' must be a whole number from 1 to 1000")]
    [InlineData("offset=-1", "offset '-1' must be a whole number from 0 to 1000000")]
    public async Task Merchants_RefuseABadCountOrOffset_InOneLine(string query, string error)
    {
        await using var sim = await TestSimulator.StartAsync();

        var reply = await sim.Http.GetAsync("/v1/merchants?" + query);

        Assert.Equal(HttpStatusCode.BadRequest, reply.StatusCode);
        using var doc = JsonDocument.Parse(await reply.Content.ReadAsStringAsync());
        Assert.Equal(error, doc.RootElement.GetProperty("error").GetString());
    }
}
