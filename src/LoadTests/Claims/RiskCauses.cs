using System.Text.Json.Nodes;

namespace PaySim.LoadTests.Claims;

/// <summary>
/// The causes of an issuer risk decline (docs/plans.md, "Declines"), by the ISO code the issuer answered: the keys of
/// <c>risk_declines[cause]</c> and of summary.json <c>riskDeclines.byCause</c>. A risk decline is the issuer working
/// as configured, so it is its own cause, neither a wallet failure nor an <c>unexpected_decline</c>.
/// </summary>
internal static class RiskCauses
{
    /// <summary>65 FREQUENCY_EXCEEDED: the velocity rule (more authorizations on the card in its window).</summary>
    public const string Velocity = "velocity";

    /// <summary>61: the amount rule's window (AMOUNT_LIMIT_EXCEEDED) or the card's daily limit (OVER_LIMIT).</summary>
    public const string Limit = "limit";

    /// <summary>59: a risk-flagged card above the rule's amount (SUSPECTED_FRAUD) or the repeat rule (REPEATED_ATTEMPT).</summary>
    public const string Fraud = "fraud";

    /// <summary>57 NOT_PERMITTED: the merchant is on the issuer's not-permitted list.</summary>
    public const string NotPermitted = "not_permitted";

    public static readonly IReadOnlyList<string> All = [Velocity, Limit, Fraud, NotPermitted];

    /// <summary>summary.json <c>riskDeclines</c>: the total and every cause (zero included), as <c>risk_declines</c> reads them; shards' add up.</summary>
    public static JsonObject ToJson(IReadOnlyDictionary<string, long> byCause) => new()
    {
        ["total"] = byCause.Values.Sum(),
        ["byCause"] = new JsonObject(All.Select(c => KeyValuePair.Create(c, (JsonNode?)byCause.GetValueOrDefault(c)))),
    };

    /// <summary>The cause an ISO response code stands for, or null when it is no risk code.</summary>
    public static string? OfIssuerCode(string? code) => code switch
    {
        "65" => Velocity,
        "61" => Limit,
        "59" => Fraud,
        "57" => NotPermitted,
        _ => null,
    };
}
