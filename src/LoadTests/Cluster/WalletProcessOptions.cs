using System.Text.Json;
using System.Text.Json.Serialization;
using PaySim.Wallet.Configuration;

namespace PaySim.LoadTests.Cluster;

/// <summary>
/// How a wallet instance's options travel to its child process: <see cref="WalletOptions"/> as JSON in one argument,
/// so every field the wallet has (today's and tomorrow's) reaches the child without a flag of its own.
/// </summary>
internal static class WalletProcessOptions
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public static string Write(WalletOptions options) => JsonSerializer.Serialize(options, Json);

    /// <exception cref="JsonException">The argument is not the options JSON <see cref="Write"/> makes.</exception>
    public static WalletOptions Read(string json) =>
        JsonSerializer.Deserialize<WalletOptions>(json, Json) ?? throw new JsonException("empty wallet options");
}
