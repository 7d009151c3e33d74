using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using PaySim.LoadTests.Plans.Documents;

namespace PaySim.LoadTests.Plans;

/// <summary>
/// Reads a plan's JSON, refuses unknown fields and bad values with one line naming the field,
/// applies defaults and command-line overrides, and parses every claim, so that nothing starts
/// on a plan that cannot run to the end. The plan-wide fields (name, duration, seed, rate, warmUp,
/// settle) are read here; each section has its own compiler: <see cref="TargetCompiler"/>,
/// <see cref="PersonaCompiler"/>, <see cref="ClientCompiler"/>, <see cref="ScenarioCompiler"/> (with
/// <see cref="LoadCompiler"/>), <see cref="FaultCompiler"/>, <see cref="RiskCompiler"/>, <see cref="NodeEventCompiler"/>,
/// <see cref="ClaimCompiler"/> and <see cref="CapacityCompiler"/>.
/// </summary>
internal static partial class PlanCompiler
{
    public static readonly TimeSpan DefaultDuration = TimeSpan.FromSeconds(60);
    public static readonly TimeSpan DefaultWarmUp = TimeSpan.FromSeconds(2);

    /// <summary>Longer than the reference wallet takes to settle an abandoned payment (its 18 s stale window and a 1 s recovery pass); a run stops waiting as soon as nothing is held or pending.</summary>
    public static readonly TimeSpan DefaultSettle = TimeSpan.FromSeconds(30);

    public static readonly TimeSpan MaxSettle = TimeSpan.FromMinutes(10);

    /// <summary>Scenario weights and mix weights are shares: anything larger only risks overflow.</summary>
    public const double MaxWeight = 1_000_000;

    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        PropertyNameCaseInsensitive = false,

        // {"rate": 2, "rate": 2000} would silently keep one; refuse it like an unknown field.
        AllowDuplicateProperties = false,

        // "seed": 1.0 is the integer 1, as the schema (JSON Schema 2020-12) and editors count it.
        Converters = { new WholeNumberConverter<int>(), new WholeNumberConverter<long>() },
    };

    public static PlanDocument Read(string json, string source)
    {
        try
        {
            PlanText.Check(json, $"plan {source}:");
            var doc = JsonSerializer.Deserialize<PlanDocument>(json, Options)
                ?? throw new PlanException($"plan {source}: $: must be a JSON object (a plan), got null.");
            PlanNulls.Check(json, $"plan {source}:");
            return doc;
        }
        catch (JsonException ex)
        {
            throw new PlanException($"plan {source}: {Describe(ex, json)}", ex);
        }
    }

    public static LoadPlan Compile(string json, string source, PlanOverrides? overrides = null) =>
        Compile(Read(json, source), source, overrides ?? new PlanOverrides());

    public static LoadPlan Compile(PlanDocument doc, string source, PlanOverrides overrides)
    {
        if (overrides.Duration is { } wanted && wanted > TimeSpan.Zero)
        {
            // --duration scales every span of the plan (faults, node events, phases, warm-up). A span scaled under a
            // millisecond would be refused as the plan's own ("ramp.over: \"0s\" must be more than 0"), naming a field
            // the user never wrote: check the plan as written first, then say how short --duration may go.
            var shortest = TimeSpan.MaxValue;
            var asWritten = Compile(doc, source, overrides with { Duration = null }, t => shortest = t < shortest ? t : shortest);
            var scaled = shortest.TotalMilliseconds * wanted.TotalMilliseconds / asWritten.Duration.TotalMilliseconds;
            if (shortest != TimeSpan.MaxValue && Math.Round(scaled) < 1)
            {
                var least = TimeSpan.FromMilliseconds(Math.Ceiling(asWritten.Duration.TotalMilliseconds / shortest.TotalMilliseconds));
                throw new PlanException($"--duration: {DurationText.Format(wanted)} is too short for plan {asWritten.Name}: it scales the plan's {DurationText.Format(asWritten.Duration)} timeline, and its shortest span ({DurationText.Format(shortest)}) would be under 1ms; give --duration {DurationText.Format(least)} or more.");
            }
        }

        return Compile(doc, source, overrides, observeSpan: null);
    }

    private static LoadPlan Compile(PlanDocument doc, string source, PlanOverrides overrides, Action<TimeSpan>? observeSpan)
    {
        var p = $"plan {source}:";
        var name = doc.Name is null ? Path.GetFileNameWithoutExtension(source) : doc.Name.Trim();
        if (!SafeName().IsMatch(name))
        {
            throw new PlanException($"{p} name: \"{(name.Length > 70 ? name[..64] + "…" : name)}\" must be 1 to 64 letters, digits, '-' or '_'.");
        }

        var planDuration = doc.Duration is null ? DefaultDuration : DurationText.Parse(doc.Duration, $"{p} duration", LoadLimits.MaxDuration);
        if (planDuration <= TimeSpan.Zero)
        {
            throw new PlanException($"{p} duration: must be > 0, got \"{doc.Duration}\".");
        }

        LoadLimits.CheckDuration(planDuration, $"{p} duration");

        var duration = overrides.Duration ?? planDuration;
        if (duration <= TimeSpan.Zero)
        {
            throw new PlanException($"--duration: must be > 0, got {DurationText.Format(duration)}.");
        }

        LoadLimits.CheckDuration(duration, "--duration");
        if (doc.Seed is { } planSeed)
        {
            LoadLimits.CheckSeed(planSeed, $"{p} seed");
        }

        if (overrides.Seed is { } flagSeed)
        {
            LoadLimits.CheckSeed(flagSeed, "--seed");
        }

        var timeScale = duration.TotalMilliseconds / planDuration.TotalMilliseconds;
        TimeSpan Scale(TimeSpan t)
        {
            if (t > TimeSpan.Zero)
            {
                observeSpan?.Invoke(t);
            }

            return TimeSpan.FromMilliseconds(Math.Round(t.TotalMilliseconds * timeScale));
        }

        if (doc.Rate is { } r && (!double.IsFinite(r) || r < 0))
        {
            throw new PlanException($"{p} rate: must be a number >= 0 (iterations per second), got {r.ToString(CultureInfo.InvariantCulture)}.");
        }

        if (overrides.Rate is { } or && (!double.IsFinite(or) || or <= 0))
        {
            throw new PlanException($"--rate: must be a number > 0 (iterations per second), got {or.ToString(CultureInfo.InvariantCulture)}.");
        }

        var warmUp = doc.WarmUp is null ? DefaultWarmUp : DurationText.Parse(doc.WarmUp, $"{p} warmUp");
        warmUp = Scale(warmUp);
        if (warmUp >= duration)
        {
            throw new PlanException($"{p} warmUp: must be shorter than the duration ({DurationText.Format(duration)}).");
        }

        var target = TargetCompiler.Compile(doc.Target, p, overrides);
        var personas = PersonaCompiler.Compile(doc.Personas, p);
        var client = ClientCompiler.Compile(doc.Client, p);
        if (doc.PreboundCards is < 1 or > 10_000)
        {
            throw new PlanException($"{p} preboundCards: must be between 1 and 10000, got {doc.PreboundCards}.");
        }

        var scenarios = ScenarioCompiler.Compile(doc, p, planDuration, overrides.Rate, Scale, out var totalRate);
        var rateField = overrides.Rate is not null ? "--rate" : doc.Rate is not null ? $"{p} rate" : $"{p} scenarios[].load[].rate";
        LoadLimits.CheckLoad(scenarios, p, rateField, Math.Max(1, overrides.Shards));
        var nodeNames = target.IsEmbedded ? target.Embedded.IssuerNodeNames : null;
        var faults = FaultCompiler.Compile(doc.Faults, p, planDuration, target.IsEmbedded ? target.Embedded.Nodes : null, Scale);
        var walletNames = target.IsEmbedded ? target.Embedded.WalletInstanceNames : null;
        var seed = overrides.Seed ?? doc.Seed ?? 42;
        var risk = RiskCompiler.Compile(doc.Risk, p);
        var nodeEvents = NodeEventCompiler.Compile(doc.NodeEvents, p, planDuration, nodeNames, walletNames, target.External?.Hooks, Scale, seed);
        var settle = overrides.Settle ?? (doc.Settle is null ? DefaultSettle : DurationText.Parse(doc.Settle, $"{p} settle", MaxSettle));
        if (settle > MaxSettle)
        {
            throw new PlanException($"{(overrides.Settle is null ? $"{p} settle" : "--settle")}: must be at most {DurationText.Format(MaxSettle)}, got {DurationText.Format(settle)}.");
        }

        var scenarioNames = scenarios.Select(s => s.Name).ToArray();
        var claims = ClaimCompiler.Compile(doc.Claims, p, scenarioNames, faults.Count + nodeEvents.Count, warmUp, duration, Scale);
        var objectives = CapacityCompiler.Compile(doc.Capacity, p);
        var catches = CompileCatches(doc.Catches, p, claims);

        return new LoadPlan
        {
            Name = name,
            Description = doc.Description?.Trim() ?? string.Empty,
            Source = source,
            Duration = duration,
            Rate = totalRate,
            Seed = seed,
            WarmUp = warmUp,
            Target = target,
            Personas = personas,
            PreboundCards = doc.PreboundCards ?? 40,
            Client = client,
            Scenarios = scenarios,
            Faults = faults,
            NodeEvents = nodeEvents,
            Risk = risk,
            Claims = claims,
            CapacityObjectives = objectives,
            Settle = settle,
            Catches = catches,
        };
    }

    /// <summary>
    /// <c>"catches": ["no-failover", {"defect": "sticky-node", "by": ["issuer_jain_fairness"]}]</c>: each entry a known
    /// defect name (any failed claim counts) or an object naming the defect and, in <c>by</c>, the claims of this plan
    /// of which one must fail; each defect once.
    /// </summary>
    private static PlanCatch[] CompileCatches(List<JsonNode>? catches, string p, IReadOnlyList<Claim> claims)
    {
        if (catches is null)
        {
            return [];
        }

        var defects = PaySim.Wallet.Defects.WalletDefects.Names;
        var claimNames = claims.Select(c => c.Name).Distinct(StringComparer.Ordinal).ToArray();
        var allowedClaims = claimNames.Length == 0 ? "none (the plan has no claims)" : KnownNames.List(claimNames);
        var compiled = new List<PlanCatch>(catches.Count);
        for (var i = 0; i < catches.Count; i++)
        {
            var field = $"{p} catches[{i}]";
            string Defect(JsonNode? node, string at) =>
                node is JsonValue value && value.TryGetValue<string>(out var name)
                    ? PaySim.Wallet.Defects.WalletDefects.IsKnown(name)
                        ? name
                        : throw new PlanException($"{at}: \"{name}\" is not a planted defect; allowed: {KnownNames.List(defects)}.")
                    : throw new PlanException($"{at}: must be a planted defect's name, got {Shown(node)}; allowed: {KnownNames.List(defects)}.");

            PlanCatch entry;
            switch (catches[i])
            {
                case JsonObject obj:
                    foreach (var (key, _) in obj)
                    {
                        if (key is not ("defect" or "by"))
                        {
                            throw new PlanException($"{field}.{key}: unknown field \"{key}\"; allowed: by, defect.");
                        }
                    }

                    if (!obj.TryGetPropertyValue("defect", out var defectNode))
                    {
                        throw new PlanException($"{field}.defect: required: the planted defect this plan promises to fail on; allowed: {KnownNames.List(defects)}.");
                    }

                    var defect = Defect(defectNode, $"{field}.defect");
                    if (!obj.TryGetPropertyValue("by", out var byNode))
                    {
                        throw new PlanException($"{field}.by: required: the claims of this plan of which one must fail with {defect} (write \"{defect}\" alone for any claim); allowed: {allowedClaims}.");
                    }

                    if (byNode is not JsonArray by)
                    {
                        throw new PlanException($"{field}.by: must be an array of this plan's claim metrics, got {Shown(byNode)}; allowed: {allowedClaims}.");
                    }

                    if (by.Count == 0)
                    {
                        throw new PlanException($"{field}.by: must name at least one of this plan's claim metrics (write \"{defect}\" alone for any claim); allowed: {allowedClaims}.");
                    }

                    var metrics = new List<string>(by.Count);
                    for (var j = 0; j < by.Count; j++)
                    {
                        var at = $"{field}.by[{j}]";
                        if (by[j] is not JsonValue metricValue || !metricValue.TryGetValue<string>(out var metric))
                        {
                            throw new PlanException($"{at}: must be one of this plan's claim metrics (a string), got {Shown(by[j])}; allowed: {allowedClaims}.");
                        }

                        if (!claimNames.Contains(metric, StringComparer.Ordinal))
                        {
                            throw new PlanException($"{at}: \"{metric}\" is not the metric of a claim of this plan; allowed: {allowedClaims}.");
                        }

                        if (metrics.Contains(metric, StringComparer.Ordinal))
                        {
                            throw new PlanException($"{at}: \"{metric}\" is listed twice.");
                        }

                        metrics.Add(metric);
                    }

                    entry = new PlanCatch(defect, metrics);
                    break;
                case JsonValue:
                    entry = new PlanCatch(Defect(catches[i], field));
                    break;
                default:
                    throw new PlanException($"{field}: must be a planted defect's name or an object {{\"defect\": name, \"by\": [claim metrics]}}, got {Shown(catches[i])}.");
            }

            if (compiled.Any(c => c.Defect == entry.Defect))
            {
                throw new PlanException($"{field}: \"{entry.Defect}\" is listed twice.");
            }

            compiled.Add(entry);
        }

        return compiled.ToArray();
    }

    /// <summary>A JSON value as a message shows it: null, an array, an object, or the value as written (a string quoted).</summary>
    private static string Shown(JsonNode? node) => node switch
    {
        null => "null",
        JsonArray => "an array",
        JsonObject => "an object",
        _ => node.ToJsonString(),
    };

    /// <summary>Turns System.Text.Json's messages into one line naming the field and, for unknown fields, the allowed ones.</summary>
    private static string Describe(JsonException ex, string json)
    {
        var path = ex.Path ?? "$";
        var unmapped = Unmapped().Match(ex.Message);
        if (unmapped.Success)
        {
            var property = unmapped.Groups["prop"].Value;
            var typeName = unmapped.Groups["type"].Value;
            var type = typeof(PlanCompiler).Assembly.GetType(typeName);
            var allowed = type is null
                ? string.Empty
                : "; allowed: " + KnownNames.List(type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                    .Select(pi => pi.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? JsonNamingPolicy.CamelCase.ConvertName(pi.Name)));
            var where = path.EndsWith("." + property, StringComparison.Ordinal) || path.EndsWith("['" + property + "']", StringComparison.Ordinal) ? path : $"{path}.{property}";
            return $"{Trim(where)}: unknown field \"{property}\"{allowed}.";
        }

        if (Duplicate().Match(ex.Message) is { Success: true } duplicate)
        {
            var property = duplicate.Groups["prop"].Value;
            var where = path.EndsWith("." + property, StringComparison.Ordinal) || path.EndsWith("['" + property + "']", StringComparison.Ordinal) ? path : $"{path}.{property}";
            return $"{Trim(where)}: given twice (a duplicate field); give each field once.";
        }

        if (PlanText.IsLoneSurrogate(ex))
        {
            return $"{Trim(path)}: {PlanText.LoneSurrogate}.";
        }

        if (ex.Message.Contains("could not be converted", StringComparison.Ordinal))
        {
            return $"{Trim(path)}: {WrongType(ex.Message, path, json)}.";
        }

        var at = ex.LineNumber is { } line
            ? string.Create(CultureInfo.InvariantCulture, $" at line {line + 1}{(ex.BytePositionInLine is { } b ? $", byte {b + 1}" : string.Empty)}")
            : string.Empty;
        if (PlanText.IsTooDeep(ex))
        {
            // Its path would be the whole chain of nested fields; where it is said by line and byte.
            return $"$: nested deeper than the reader's limit of {MaxDepth} levels{at}; a plan needs only a few.";
        }

        // One line: a newline inside a quoted token ('name: x\n...' of a YAML file) is shown as \n, not cut there.
        var reason = ex.Message.Split(" Path: ")[0].Split(" LineNumber: ")[0].TrimEnd('.', ' ', '|')
            .Replace("\r", "\\r", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
        if (reason.Length > 200)
        {
            reason = reason[..197] + "...";
        }

        return $"{Trim(path)}: not valid JSON{at} ({reason}).";
    }

    /// <summary>How deep the reader follows nested objects and arrays (System.Text.Json's default).</summary>
    private const int MaxDepth = 64;

    /// <summary>
    /// What a value the document's type could not take should have been, and what it was, in the plan's words instead of
    /// .NET's ("could not be converted to System.Int32"): a whole number past what the field takes says so, not "wrong type".
    /// </summary>
    private static string WrongType(string message, string path, string json)
    {
        var target = ConvertedTo().Match(message) is { Success: true } m ? m.Groups["type"].Value : string.Empty;
        var expected = target switch
        {
            _ when target.Contains("System.Int32", StringComparison.Ordinal) || target.Contains("System.Int64", StringComparison.Ordinal) => "a whole number",
            _ when target.Contains("System.Double", StringComparison.Ordinal) => "a number",
            _ when target.Contains("System.Boolean", StringComparison.Ordinal) => "true or false",
            _ when target.Contains("System.String", StringComparison.Ordinal) && target.Contains("List", StringComparison.Ordinal) => "an array of strings",
            _ when target.Contains("System.String", StringComparison.Ordinal) => "a string",
            _ when target.Contains("Dictionary", StringComparison.Ordinal) => "an object",
            _ when target.Contains("List", StringComparison.Ordinal) => "an array",
            _ => "an object",
        };
        JsonNode? value = null;
        var found = false;
        try
        {
            found = TryFind(JsonNode.Parse(json, documentOptions: PlanNulls.Reading), path, out value);
        }
        catch (Exception ex) when (ex is JsonException or ArgumentException)
        {
            // Not readable as a tree (a doubled field later in the file): the message goes without the value.
        }

        if (!found)
        {
            return $"must be {expected}; see docs/plans.md for the schema";
        }

        if (expected == "a whole number" && value is JsonValue v && v.GetValueKind() == JsonValueKind.Number)
        {
            // A whole number past the field's type, written plainly (2147483648) or with a zero fraction (2147483648.0, 1e10).
            var text = v.ToJsonString();
            int? sign = System.Numerics.BigInteger.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var big) ? big.Sign
                : double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d) && d == Math.Truncate(d) ? Math.Sign(d)
                : null;
            return sign is { } s
                ? $"{text} is {(s < 0 ? "less" : "more")} than this field takes; see docs/plans.md for its range"
                : $"must be a whole number, got {text}; see docs/plans.md for the schema";
        }

        string got;
        try
        {
            got = Got(value);
        }
        catch (InvalidOperationException ex) when (PlanText.IsLoneSurrogate(ex))
        {
            return PlanText.LoneSurrogate;
        }

        return $"must be {expected}, got {(got.Length > 80 ? got[..77] + "..." : got)}; see docs/plans.md for the schema";
    }

    private static string Got(JsonNode? value) =>
        value switch
        {
            null => "null",
            JsonObject => "an object",
            JsonArray => "an array",
            JsonValue x => x.GetValueKind() switch
            {
                JsonValueKind.String => $"the string {x.ToJsonString()}",
                JsonValueKind.Number => $"the number {x.ToJsonString()}",
                _ => x.ToJsonString(),
            },
            _ => value.ToJsonString(),
        };

    // Follows a System.Text.Json path ($.a.b[0]['c d']) through the document; false when a step is not there.
    private static bool TryFind(JsonNode? node, string path, out JsonNode? value)
    {
        value = null;
        foreach (Match step in PathStep().Matches(path))
        {
            if (step.Groups["index"].Success)
            {
                if (node is not JsonArray array || !int.TryParse(step.Groups["index"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var i) || i >= array.Count)
                {
                    return false;
                }

                node = array[i];
            }
            else
            {
                var name = step.Groups["name"].Success ? step.Groups["name"].Value : step.Groups["quoted"].Value;
                if (node is not JsonObject obj || !obj.TryGetPropertyValue(name, out node))
                {
                    return false;
                }
            }
        }

        value = node;
        return true;
    }

    private static string Trim(string path) => path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path;

    [GeneratedRegex(@"The JSON property '(?<prop>[^']*)' could not be mapped to any \.NET member contained in type '(?<type>[^']+)'", RegexOptions.CultureInvariant)]
    private static partial Regex Unmapped();

    [GeneratedRegex(@"Duplicate property '(?<prop>[^']*)' encountered", RegexOptions.CultureInvariant)]
    private static partial Regex Duplicate();

    [GeneratedRegex(@"could not be converted to (?<type>[^\s]+?)\.?(\s|$)", RegexOptions.CultureInvariant)]
    private static partial Regex ConvertedTo();

    [GeneratedRegex(@"\.(?<name>[A-Za-z0-9_$]+)|\[(?<index>\d+)\]|\['(?<quoted>[^']*)'\]", RegexOptions.CultureInvariant)]
    private static partial Regex PathStep();

    [GeneratedRegex(@"^[A-Za-z0-9_-]{1,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex SafeName();
}
