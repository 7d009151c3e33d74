using System.Globalization;
using Bogus;
using PaySim.Contracts.Qr;
using PaySim.Simulator.Cardholders;

namespace PaySim.Simulator.Merchants;

/// <summary>
/// Deterministic merchants with their EMVCo merchant-presented QR codes (GET /v1/merchants). Merchant #i depends only on
/// (seed, i): even indices get a static code (the payer types the amount), odd ones a dynamic code with an amount.
/// Every code is in currency 156 (CNY). Not thread-safe (the Bogus faker is reused): build one per request.
/// </summary>
internal sealed class MerchantCatalog(int seed)
{
    public const int DefaultCount = 10;
    public const int MaxCount = 1_000;
    public const int MaxOffset = 1_000_000;
    public const string Currency = "156";

    // A different stream from the cardholders of the same seed.
    private const int Salt = 0x51C0DE;

    private readonly Faker _faker = new("en");

    public IEnumerable<MerchantQr> Generate(int count, int offset)
    {
        for (var i = 0; i < count; i++)
        {
            yield return Generate(offset + i);
        }
    }

    public MerchantQr Generate(int index)
    {
        var r = new Randomizer(CardholderGenerator.IndexSeed(seed ^ Salt, index));
        _faker.Random = r;
        var name = Cut(_faker.Company.CompanyName(), EmvQr.MaxNameLength);
        var city = Cut(_faker.Address.City(), EmvQr.MaxCityLength);
        long? amount = index % 2 == 1 ? r.Number(1, 500) * 100L + r.Number(0, 99) : null;
        return new MerchantQr("m-qr-" + index.ToString("D6", CultureInfo.InvariantCulture), name, city, Currency, amount, null);
    }

    private static string Cut(string text, int max)
    {
        var ascii = new string(text.Where(c => c is >= ' ' and <= '~').ToArray()).Trim();
        return (ascii.Length <= max ? ascii : ascii[..max].TrimEnd()) is { Length: > 0 } cut ? cut : "Merchant";
    }
}
