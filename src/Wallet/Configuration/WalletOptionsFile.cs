using System.Text.Json;
using System.Text.Json.Serialization;

namespace PaySim.Wallet.Configuration;

/// <summary>
/// Reads <see cref="WalletOptions"/> from a JSON file (<c>--config</c>): property names as in the options class
/// (camelCase or PascalCase), durations as <c>"00:00:02"</c>, modes as <c>"naive"</c>/<c>"resilient"</c>. An
/// unknown property is an error naming it, so a typo never silently keeps a default.
/// </summary>
internal static class WalletOptionsFile
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    /// <exception cref="WalletOptionsException">The file is missing or not valid options JSON (one line).</exception>
    public static WalletOptions Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new WalletOptionsException([$"config file '{path}' cannot be read: {e.Message}"]);
        }

        try
        {
            return JsonSerializer.Deserialize<WalletOptions>(text, Json) ?? throw new WalletOptionsException([$"config file '{path}' is empty"]);
        }
        catch (JsonException e)
        {
            throw new WalletOptionsException([$"config file '{path}' at {e.Path}: {e.Message.Split(". Path:")[0]}"]);
        }
    }
}
