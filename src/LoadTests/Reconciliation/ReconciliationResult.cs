using System.Text.Json.Nodes;
using PaySim.LoadTests.Claims;

namespace PaySim.LoadTests.Reconciliation;

/// <summary>
/// The reconciliation's figures (null = a view they need could not be read), up to <see cref="EvidenceCap"/>
/// evidence rows per figure, and what each view held. summary.json's "reconciliation" is <see cref="ToJson"/>;
/// <see cref="Merge"/> combines shards exactly: each shard reconciles its own cards (shards never share a card),
/// so counts and money add, and the first rows by (card, ref) of the union are the first of the shards' first rows.
/// </summary>
internal sealed class ReconciliationResult
{
    public const int EvidenceCap = 20;

    /// <summary>Evidence is kept per counted figure; excess_minor shares excess_charges' rows.</summary>
    public static readonly IReadOnlyList<string> EvidenceFields = ["excessCharges", "lostPayments", "orphanHolds", "stuckPending", "refundMismatch", "toldFailedCharged", "duplicateWalletPayments"];

    public Dictionary<string, long?> Figures { get; } = ClaimMetrics.Reconciliation.ToDictionary(r => r.Field, _ => (long?)null, StringComparer.Ordinal);

    public Dictionary<string, List<JsonObject>> Evidence { get; } = EvidenceFields.ToDictionary(f => f, _ => new List<JsonObject>(), StringComparer.Ordinal);

    public long Cards { get; set; }

    /// <summary>What each view held and why one could not be read: { app, wallet, issuer }.</summary>
    public JsonObject Views { get; set; } = [];

    /// <summary>How long the run waited for holds and pending payments to settle: { limitS, waitedS, settled }.</summary>
    public JsonObject Settle { get; set; } = [];

    /// <summary>A figure's value by claim metric name (excess_charges, …).</summary>
    public double? Metric(string metric) =>
        ClaimMetrics.Reconciliation.FirstOrDefault(r => r.Metric == metric).Field is { } field && Figures.GetValueOrDefault(field) is { } v ? v : null;

    /// <summary>Counts a figure that is readable; an unreadable one stays null.</summary>
    public void Count(string field, long by = 1) => Figures[field] = (Figures[field] ?? 0) + by;

    public void Readable(string field) => Figures[field] ??= 0;

    public JsonObject ToJson()
    {
        var json = new JsonObject();
        foreach (var (field, value) in Figures)
        {
            json[field] = value;
        }

        json["evidence"] = new JsonObject(Evidence.Select(e => KeyValuePair.Create(e.Key, (JsonNode?)new JsonArray(Capped(e.Value).Select(r => (JsonNode?)r.DeepClone()).ToArray()))));
        json["cards"] = Cards;
        json["views"] = Views.DeepClone();
        json["settle"] = Settle.DeepClone();
        return json;
    }

    public static ReconciliationResult FromJson(JsonObject json)
    {
        var result = new ReconciliationResult { Cards = json["cards"]?.GetValue<long>() ?? 0 };
        foreach (var field in result.Figures.Keys.ToArray())
        {
            result.Figures[field] = json[field] is JsonValue v && v.TryGetValue<long>(out var n) ? n : null;
        }

        foreach (var field in EvidenceFields)
        {
            result.Evidence[field].AddRange((json["evidence"]?[field] as JsonArray ?? []).OfType<JsonObject>().Select(r => (JsonObject)r.DeepClone()));
        }

        result.Views = json["views"] as JsonObject is { } views ? (JsonObject)views.DeepClone() : [];
        result.Settle = json["settle"] as JsonObject is { } settle ? (JsonObject)settle.DeepClone() : [];
        return result;
    }

    /// <summary>Shards' results as one run's: a figure is the sum when every shard could read it, else no value.</summary>
    public static ReconciliationResult Merge(IReadOnlyList<ReconciliationResult> shards)
    {
        var merged = new ReconciliationResult { Cards = shards.Sum(s => s.Cards) };
        foreach (var field in merged.Figures.Keys.ToArray())
        {
            merged.Figures[field] = shards.All(s => s.Figures[field] is not null) ? shards.Sum(s => s.Figures[field]!.Value) : null;
        }

        foreach (var field in EvidenceFields)
        {
            merged.Evidence[field].AddRange(shards.SelectMany(s => s.Evidence[field]));
        }

        merged.Views = new JsonObject
        {
            ["shards"] = new JsonArray(shards.Select(s => (JsonNode?)s.Views.DeepClone()).ToArray()),
            ["merge"] = "figures summed: every shard reconciled its own cards (shards never share one); evidence is the first rows by card of all shards' first rows",
        };
        foreach (var view in new[] { "app", "wallet", "issuer" })
        {
            merged.Views[view] = MergeView(shards.Select(s => s.Views[view] as JsonObject).ToArray());
        }

        merged.Settle = new JsonObject
        {
            ["limitS"] = shards.Max(s => s.Settle["limitS"]?.GetValue<double>() ?? 0),
            ["waitedS"] = shards.Max(s => s.Settle["waitedS"]?.GetValue<double>() ?? 0),
            ["settled"] = shards.All(s => s.Settle["settled"]?.GetValue<bool>() ?? false),
        };
        return merged;
    }

    /// <summary>
    /// One view's counts over the shards (each shard counted its own cards): a count is the sum when every shard has
    /// it, "read" holds when every shard read the view, "error" lists the shards' errors; what not every shard has is left out.
    /// </summary>
    private static JsonObject MergeView(IReadOnlyList<JsonObject?> views)
    {
        var merged = new JsonObject();
        if (views.Any(v => v is null))
        {
            return merged;
        }

        foreach (var key in views[0]!.Select(kv => kv.Key))
        {
            var values = views.Select(v => v![key] as JsonValue).ToArray();
            if (values.All(v => v is not null && v.GetValueKind() == System.Text.Json.JsonValueKind.Number))
            {
                merged[key] = values.Sum(v => long.Parse(v!.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture));
            }
            else if (values.All(v => v is not null && v.GetValueKind() is System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False))
            {
                merged[key] = values.All(v => v!.GetValue<bool>());
            }
            else if (values.Select(v => v?.GetValueKind() == System.Text.Json.JsonValueKind.String ? v.GetValue<string>() : null).OfType<string>().Distinct().ToArray() is { Length: > 0 } texts)
            {
                merged[key] = string.Join("; ", texts);
            }
        }

        return merged;
    }

    /// <summary>The first <see cref="EvidenceCap"/> rows by (card, ref): the same rows whichever shards they came from.</summary>
    private static IEnumerable<JsonObject> Capped(IEnumerable<JsonObject> rows) =>
        rows.OrderBy(r => r["card"]?.GetValue<string>() ?? string.Empty, StringComparer.Ordinal)
            .ThenBy(r => r["ref"]?.GetValue<string>() ?? string.Empty, StringComparer.Ordinal)
            .Take(EvidenceCap);
}
