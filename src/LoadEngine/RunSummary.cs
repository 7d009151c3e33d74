using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace PaySim.LoadEngine;

/// <summary>
/// The content of summary.json. Callers add claims (<see cref="AddClaim(ClaimResult)"/>) and extra
/// top-level fields (<see cref="Extra"/>, e.g. "nodes", "fairness") before <see cref="ReportWriter"/> writes it.
/// </summary>
public sealed class RunSummary
{
    public static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,

        // Readable "p99 < 250ms" rather than "p99 \u003C 250ms"; the file is never embedded in HTML.
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public string Plan { get; set; } = "load-test";

    /// <summary>"pass" when every claim passed and the run was not aborted, else "fail".</summary>
    public string Verdict
    {
        get => Claims.All(c => c.Pass) && AbortReason is null ? "pass" : "fail";
        set { /* computed; setter present so the property round-trips through JSON */ }
    }

    public DateTimeOffset StartedUtc { get; set; }

    public double DurationS { get; set; }

    /// <summary>
    /// The command line that runs this test again (the host program sets it: the PaySim load tests write
    /// <c>dotnet run --project src/LoadTests -- run --plan … --seed …</c>); null when the host gives none.
    /// Shown at the top of report.md and report.html.
    /// </summary>
    public string? Command { get; set; }

    /// <summary>Why the run stopped early (threshold abort, max fail count, StopRun, cancellation); null if it ran to the end.</summary>
    public string? AbortReason { get; set; }

    public List<ClaimResult> Claims { get; set; } = [];

    public List<ScenarioSummary> Scenarios { get; set; } = [];

    /// <summary>Extra top-level fields, written beside the fixed ones (merged at top level in summary.json).</summary>
    [JsonIgnore]
    public JsonObject Extra { get; set; } = [];

    [JsonIgnore]
    public bool Passed => Verdict == "pass";

    public RunSummary AddClaim(ClaimResult claim)
    {
        Claims.Add(claim);
        return this;
    }

    /// <summary>Evaluates <paramref name="expression"/> over <paramref name="lookup"/> and adds the result.</summary>
    public ClaimResult AddClaim(string name, string expression, Func<string, double?> lookup)
    {
        var claim = ClaimResult.Evaluate(name, expression, lookup);
        Claims.Add(claim);
        return claim;
    }

    /// <summary>
    /// Engine statistics for claims: "scenario:&lt;name&gt;/&lt;metric&gt;" (what <c>scenario:pay p99 &lt; 300ms</c> looks up)
    /// or "scenario:&lt;name&gt;/step:&lt;step&gt;/&lt;metric&gt;"; then any <see cref="Extra"/> top-level number by name.
    /// </summary>
    public double? GetMetric(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        const string prefix = "scenario:";
        if (key.StartsWith(prefix, StringComparison.Ordinal))
        {
            var slash = key.IndexOf('/', prefix.Length);
            if (slash < 0)
            {
                return null;
            }

            return FindScenario(key[prefix.Length..slash])?.GetMetric(key[(slash + 1)..]);
        }

        // A JsonValue built from an int will not hand out a double, so go through its JSON text.
        return Extra.TryGetPropertyValue(key, out var node) && node is JsonValue && node.GetValueKind() == JsonValueKind.Number
            ? double.Parse(node.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture)
            : null;
    }

    public ScenarioSummary? FindScenario(string name) => Scenarios.FirstOrDefault(s => s.Name == name);

    /// <summary>The fixed fields, then every <see cref="Extra"/> field at top level (an extra field never replaces a fixed one).</summary>
    public string ToJson()
    {
        // Merged by hand: [JsonExtensionData] on a JsonObject writes invalid JSON when indented.
        var node = JsonSerializer.SerializeToNode(this, JsonOptions)!.AsObject();
        foreach (var (key, value) in Extra)
        {
            if (!node.ContainsKey(key))
            {
                node[key] = value?.DeepClone();
            }
        }

        return node.ToJsonString(JsonOptions);
    }

    public static RunSummary FromJson(string json)
    {
        JsonObject node;
        try
        {
            node = JsonNode.Parse(json)?.AsObject() ?? throw new LoadConfigException("summary.json: empty document.");
        }
        catch (JsonException ex)
        {
            throw new LoadConfigException($"summary.json: not valid JSON ({ex.Message.Split('\n')[0]}).", ex);
        }

        var summary = node.Deserialize<RunSummary>(JsonOptions) ?? throw new LoadConfigException("summary.json: empty document.");
        var known = JsonSerializer.SerializeToNode(new RunSummary { AbortReason = string.Empty, Command = string.Empty }, JsonOptions)!.AsObject();
        foreach (var (key, value) in node)
        {
            if (!known.ContainsKey(key))
            {
                summary.Extra[key] = value?.DeepClone();
            }
        }

        return summary;
    }
}
