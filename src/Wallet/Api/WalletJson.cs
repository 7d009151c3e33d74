using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace PaySim.Wallet.Api;

internal static partial class WalletJson
{
    /// <summary>Replies: camelCase, nulls left out.</summary>
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>
    /// Request bodies: a field the call does not take, or a field given twice, is refused rather than silently
    /// ignored or overwritten (a typo in <c>pin</c> must not pass as "no PIN"; a second <c>amount</c> must not win).
    /// </summary>
    public static readonly JsonSerializerOptions Requests = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        AllowDuplicateProperties = false,
    };

    /// <summary>One line for a body <typeparamref name="T"/> could not be read from, naming the field.</summary>
    public static string Describe<T>(JsonException e)
    {
        var field = QuotedName().Match(e.Message) is { Success: true } m ? m.Groups[1].Value : null;
        if (field is not null && e.Message.Contains("could not be mapped", StringComparison.Ordinal))
        {
            var allowed = Requests.GetTypeInfo(typeof(T)).Properties.Select(p => p.Name);
            return $"unknown field '{field}' in the body; this call takes {string.Join(", ", allowed)}";
        }

        if (field is not null && e.Message.Contains("Duplicate", StringComparison.OrdinalIgnoreCase))
        {
            return $"field '{field}' appears more than once in the body";
        }

        if (e.Path is { Length: > 2 } path && e.Message.Contains("could not be converted", StringComparison.Ordinal))
        {
            return $"field '{path[2..]}' has the wrong type for this call (text where a number is expected, or the other way round)";
        }

        return $"The body is not valid JSON for this call ({e.Path}): {e.Message.Split(". ")[0]}.";
    }

    [GeneratedRegex("'([^']*)'")]
    private static partial Regex QuotedName();
}
