using System.Text.Json;
using System.Text.Json.Serialization;

namespace PaySim.Wallet.Api;

internal static class WalletJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}
