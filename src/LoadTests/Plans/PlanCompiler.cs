using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using PaySim.LoadEngine;
using PaySim.LoadTests.Claims;
using PaySim.LoadTests.Plans.Documents;

namespace PaySim.LoadTests.Plans;

/// <summary>
/// Reads a plan's JSON, refuses unknown fields and bad values with one line naming the field,
/// applies defaults and command-line overrides, and parses every claim, so that nothing starts
/// on a plan that cannot run to the end.
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

    public static readonly IReadOnlyList<string> CapacityMetrics = ["p99", "p50", "ok_rate", "fail_rate", "rps"];

    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        PropertyNameCaseInsensitive = false,

        // {"rate": 2, "rate": 2000} would silently keep one; refuse it like an unknown field.
        AllowDuplicateProperties = false,
    };

    public static PlanDocument Read(string json, string source)
    {
        try
        {
            return JsonSerializer.Deserialize<PlanDocument>(json, Options)
                ?? throw new PlanException($"plan {source}: the file is empty; expected a JSON object.");
        }
        catch (JsonException ex)
        {
            throw new PlanException($"plan {source}: {Describe(ex)}", ex);
        }
    }

    public static LoadPlan Compile(string json, string source, PlanOverrides? overrides = null) =>
        Compile(Read(json, source), source, overrides ?? new PlanOverrides());

    public static LoadPlan Compile(PlanDocument doc, string source, PlanOverrides overrides)
    {
        var p = $"plan {source}:";
        var name = string.IsNullOrWhiteSpace(doc.Name) ? Path.GetFileNameWithoutExtension(source) : doc.Name.Trim();
        if (!SafeName().IsMatch(name))
        {
            throw new PlanException($"{p} name: \"{(name.Length > 70 ? name[..64] + "…" : name)}\" must be 1 to 64 letters, digits, '-' or '_'.");
        }

        var planDuration = doc.Duration is null ? DefaultDuration : DurationText.Parse(doc.Duration, $"{p} duration");
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
        TimeSpan Scale(TimeSpan t) => TimeSpan.FromMilliseconds(Math.Round(t.TotalMilliseconds * timeScale));

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

        var target = CompileTarget(doc.Target, p, overrides);
        var personas = CompilePersonas(doc.Personas, p);
        var client = CompileClient(doc.Client, p);
        if (doc.PreboundCards is < 1 or > 10_000)
        {
            throw new PlanException($"{p} preboundCards: must be between 1 and 10000, got {doc.PreboundCards}.");
        }

        var scenarios = CompileScenarios(doc, p, planDuration, overrides.Rate, Scale, out var totalRate);
        var rateField = overrides.Rate is not null ? "--rate" : doc.Rate is not null ? $"{p} rate" : $"{p} scenarios[].load[].rate";
        LoadLimits.CheckLoad(scenarios, p, rateField, Math.Max(1, overrides.Shards));
        var nodeNames = target.IsEmbedded ? Enumerable.Range(1, target.Embedded.Nodes).Select(i => $"issuer-{i}").ToArray() : null;
        var faults = CompileFaults(doc.Faults, p, planDuration, target.IsEmbedded ? target.Embedded.Nodes : null, Scale);
        var walletNames = target.IsEmbedded ? Enumerable.Range(1, target.Embedded.WalletInstances).Select(i => $"wallet-{i}").ToArray() : null;
        var seed = overrides.Seed ?? doc.Seed ?? 42;
        var nodeEvents = NodeEventCompiler.Compile(doc.NodeEvents, p, planDuration, nodeNames, walletNames, target.External?.Hooks, Scale, seed);
        var settle = overrides.Settle ?? (doc.Settle is null ? DefaultSettle : DurationText.Parse(doc.Settle, $"{p} settle"));
        if (settle > MaxSettle)
        {
            throw new PlanException($"{(overrides.Settle is null ? $"{p} settle" : "--settle")}: must be at most {DurationText.Format(MaxSettle)}, got {DurationText.Format(settle)}.");
        }

        var scenarioNames = scenarios.Select(s => s.Name).ToArray();
        var claims = new List<Claim>();
        for (var i = 0; i < (doc.Claims?.Count ?? 0); i++)
        {
            var field = $"{p} claims[{i}]";
            var text = doc.Claims![i];
            if (!Expression.TryParse(ClaimMetrics.Normalise(text ?? string.Empty), out var expression, out var error))
            {
                throw new PlanException($"{field}: {error}");
            }

            ClaimCheck.Validate(expression, field, scenarioNames);
            claims.Add(new Claim(text!.Trim(), expression));
        }

        var objectives = new List<Expression>();
        for (var i = 0; i < (doc.Capacity?.Objectives?.Count ?? 0); i++)
        {
            var field = $"{p} capacity.objectives[{i}]";
            if (!Expression.TryParse(doc.Capacity!.Objectives![i], out var expression, out var error))
            {
                throw new PlanException($"{field}: {error}");
            }

            if (expression.ScopeKind is not null || !CapacityMetrics.Contains(expression.Metric))
            {
                throw new PlanException($"{field}: \"{expression.Text}\" must judge one of {KnownNames.List(CapacityMetrics)} per step.");
            }

            objectives.Add(expression);
        }

        if (doc.Capacity is not null && objectives.Count == 0)
        {
            throw new PlanException($"{p} capacity.objectives: at least one objective is required, e.g. \"p99 < 300ms\".");
        }

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
            Claims = claims,
            CapacityObjectives = objectives,
            Settle = settle,
        };
    }

    private static PlanTarget CompileTarget(PlanTargetDocument? doc, string p, PlanOverrides overrides)
    {
        if (doc?.Embedded is not null && doc.External is not null)
        {
            throw new PlanException($"{p} target: give either \"embedded\" or \"external\", not both.");
        }

        ExternalTarget? external = null;
        if (overrides.WalletUrls is { Count: > 0 } || overrides.SimulatorUrl is not null)
        {
            if (overrides.WalletUrls is not { Count: > 0 } || overrides.SimulatorUrl is null)
            {
                throw new PlanException("--wallet-url and --simulator-url: an external target needs both (the simulator's control plane gives cardholders, counters and faults).");
            }

            external = new ExternalTarget(overrides.WalletUrls, overrides.SimulatorUrl, overrides.SmsUrl ?? (doc?.External?.SmsUrl is { } sms ? ParseUrl(sms, $"{p} target.external.smsUrl") : null), Hooks(doc?.External, p, overrides));
        }
        else if (doc?.External is { } ext)
        {
            if (ext.WalletUrls is not { Count: > 0 })
            {
                throw new PlanException($"{p} target.external.walletUrls: at least one wallet URL is required, e.g. [\"http://localhost:7300\"].");
            }

            var urls = ext.WalletUrls.Select((u, i) => ParseUrl(u, $"{p} target.external.walletUrls[{i}]")).ToArray();
            var sim = ParseUrl(ext.SimulatorUrl ?? throw new PlanException($"{p} target.external.simulatorUrl: required, e.g. \"http://localhost:7000\"."), $"{p} target.external.simulatorUrl");
            external = new ExternalTarget(urls, sim, overrides.SmsUrl ?? (ext.SmsUrl is null ? null : ParseUrl(ext.SmsUrl, $"{p} target.external.smsUrl")), Hooks(ext, p, overrides));
        }

        if (external is null && overrides.WalletHooks is { Count: > 0 })
        {
            throw new PlanException("--wallet-hook: applies to an external target only (with --wallet-url and --simulator-url); the embedded wallet instances are child processes the run kills and freezes itself.");
        }

        if (external is null && overrides.SmsUrl is not null)
        {
            throw new PlanException("--sms-url: applies to an external target only (with --wallet-url and --simulator-url).");
        }

        if (external is not null && overrides.WalletMode is not null)
        {
            throw new PlanException("--wallet-mode: applies to the embedded wallet only; an external wallet runs in whatever mode it was started with.");
        }

        var e = doc?.Embedded;
        var embedded = new EmbeddedTarget();
        if (e is not null)
        {
            if (e.Nodes is < 1 or > 9)
            {
                throw new PlanException($"{p} target.embedded.nodes: must be between 1 and 9, got {e.Nodes}.");
            }

            if (e.WalletInstances is < 1 or > 8)
            {
                throw new PlanException($"{p} target.embedded.walletInstances: must be between 1 and 8, got {e.WalletInstances}.");
            }

            if (e.WalletMode is not null && !WalletModeName.All.Contains(e.WalletMode))
            {
                throw new PlanException($"{p} target.embedded.walletMode: \"{e.WalletMode}\" is not a mode; allowed: {KnownNames.List(WalletModeName.All)}.");
            }

            if (e.BalancingPolicy is not null && !KnownNames.BalancingPolicies.Contains(e.BalancingPolicy))
            {
                throw new PlanException($"{p} target.embedded.balancingPolicy: \"{e.BalancingPolicy}\" is not a policy; allowed: {KnownNames.List(KnownNames.BalancingPolicies)}.");
            }

            embedded = new EmbeddedTarget
            {
                Nodes = e.Nodes ?? embedded.Nodes,
                WalletInstances = e.WalletInstances ?? embedded.WalletInstances,
                WalletMode = e.WalletMode ?? embedded.WalletMode,
                BalancingPolicy = e.BalancingPolicy ?? embedded.BalancingPolicy,
            };
        }

        if (overrides.WalletMode is not null)
        {
            if (!WalletModeName.All.Contains(overrides.WalletMode))
            {
                throw new PlanException($"--wallet-mode: \"{overrides.WalletMode}\" is not a mode; allowed: {KnownNames.List(WalletModeName.All)}.");
            }

            embedded = embedded with { WalletMode = overrides.WalletMode };
        }

        return new PlanTarget { Embedded = embedded, External = external };
    }

    /// <summary>The plan's hooks, then the --wallet-hook flags over them.</summary>
    private static IReadOnlyDictionary<string, string> Hooks(PlanExternalDocument? doc, string p, PlanOverrides overrides)
    {
        var hooks = new Dictionary<string, string>(WalletHooks.FromPlan(doc?.Hooks, $"{p} target.external.hooks"), StringComparer.Ordinal);
        foreach (var (name, command) in overrides.WalletHooks ?? new Dictionary<string, string>())
        {
            hooks[name] = command;
        }

        return hooks;
    }

    private static IReadOnlyDictionary<string, double> CompilePersonas(Dictionary<string, double>? doc, string p)
    {
        if (doc is null)
        {
            return new Dictionary<string, double> { ["healthy"] = 1 };
        }

        foreach (var (persona, weight) in doc)
        {
            if (!KnownNames.Personas.Contains(persona))
            {
                throw new PlanException($"{p} personas.{persona}: unknown persona; allowed: {KnownNames.List(KnownNames.Personas)}.");
            }

            if (!double.IsFinite(weight) || weight < 0 || weight > MaxWeight)
            {
                throw new PlanException($"{p} personas.{persona}: weight must be a number from 0 to {MaxWeight}, got {weight.ToString(CultureInfo.InvariantCulture)}.");
            }
        }

        if (doc.Values.Sum() <= 0)
        {
            throw new PlanException($"{p} personas: at least one weight must be > 0.");
        }

        return doc.Where(kv => kv.Value > 0).ToDictionary(kv => kv.Key, kv => kv.Value);
    }

    private static ClientBehaviour CompileClient(PlanClientDocument? doc, string p)
    {
        var client = new ClientBehaviour();
        if (doc is null)
        {
            return client;
        }

        var timeout = doc.Timeout is null ? client.Timeout : DurationText.Parse(doc.Timeout, $"{p} client.timeout");
        var sms = doc.SmsTimeout is null ? client.SmsTimeout : DurationText.Parse(doc.SmsTimeout, $"{p} client.smsTimeout");
        if (timeout <= TimeSpan.Zero || sms <= TimeSpan.Zero)
        {
            throw new PlanException($"{p} client.timeout/smsTimeout: must be > 0.");
        }

        if (doc.PaymentRetries is < 0 or > 10)
        {
            throw new PlanException($"{p} client.paymentRetries: must be between 0 and 10, got {doc.PaymentRetries}.");
        }

        if (doc.OtpResends is < 0 or > ClientBehaviour.MaxOtpResends)
        {
            throw new PlanException($"{p} client.otpResends: must be between 0 and {ClientBehaviour.MaxOtpResends}, got {doc.OtpResends}.");
        }

        var min = doc.MinAmountMinor ?? client.MinAmountMinor;
        var max = doc.MaxAmountMinor ?? client.MaxAmountMinor;
        if (min < 1 || max < min)
        {
            throw new PlanException($"{p} client.minAmountMinor/maxAmountMinor: need 1 <= min <= max, got {min} and {max}.");
        }

        return new ClientBehaviour { Timeout = timeout, SmsTimeout = sms, PaymentRetries = doc.PaymentRetries ?? 0, OtpResends = doc.OtpResends ?? client.OtpResends, MinAmountMinor = min, MaxAmountMinor = max };
    }

    private static List<PlanScenario> CompileScenarios(PlanDocument doc, string p, TimeSpan planDuration, double? rateOverride, Func<TimeSpan, TimeSpan> scale, out double totalRate)
    {
        if (doc.Scenarios is not { Count: > 0 })
        {
            throw new PlanException($"{p} scenarios: at least one scenario is required; allowed names: {KnownNames.List(KnownNames.Scenarios)}.");
        }

        var needsRate = doc.Scenarios.Any(s => s.Load is null);
        if (needsRate && doc.Rate is null)
        {
            throw new PlanException($"{p} rate: required (iterations per second) when a scenario has no \"load\" of its own.");
        }

        var planRate = doc.Rate ?? ExplicitPeakRate(doc);
        totalRate = rateOverride ?? planRate;
        var rateScale = planRate > 0 ? totalRate / planRate : 1;
        var defaultWeightSum = doc.Scenarios.Where(s => s.Load is null).Sum(s => s.Weight ?? 1);

        var result = new List<PlanScenario>();
        for (var i = 0; i < doc.Scenarios.Count; i++)
        {
            var s = doc.Scenarios[i];
            var f = $"{p} scenarios[{i}]";
            if (s.Name is null || !KnownNames.Scenarios.Contains(s.Name))
            {
                throw new PlanException($"{f}.name: \"{s.Name}\" is not a scenario; allowed: {KnownNames.List(KnownNames.Scenarios)}.");
            }

            if (result.Any(r => r.Name == s.Name))
            {
                throw new PlanException($"{f}.name: \"{s.Name}\" appears twice; give each scenario once and use weights.");
            }

            var weight = s.Weight ?? 1;
            if (!double.IsFinite(weight) || weight <= 0 || weight > MaxWeight)
            {
                throw new PlanException($"{f}.weight: must be a number > 0 and at most {MaxWeight}, got {weight.ToString(CultureInfo.InvariantCulture)}.");
            }

            if (s.MaxConcurrency is < 1)
            {
                throw new PlanException($"{f}.maxConcurrency: must be >= 1, got {s.MaxConcurrency}.");
            }

            var kind = KnownNames.ParseScenario(s.Name);
            var mix = new Dictionary<ScenarioKind, double>();
            if (s.Mix is not null)
            {
                if (kind != ScenarioKind.Journey)
                {
                    throw new PlanException($"{f}.mix: only the journey scenario has a mix.");
                }

                foreach (var (action, w) in s.Mix)
                {
                    if (!KnownNames.JourneyActions.Contains(action))
                    {
                        throw new PlanException($"{f}.mix.{action}: unknown action; allowed: {KnownNames.List(KnownNames.JourneyActions)}.");
                    }

                    if (!double.IsFinite(w) || w < 0 || w > MaxWeight)
                    {
                        throw new PlanException($"{f}.mix.{action}: weight must be a number from 0 to {MaxWeight}.");
                    }

                    if (w > 0)
                    {
                        mix[KnownNames.ParseScenario(action)] = w;
                    }
                }

                if (mix.Count == 0)
                {
                    throw new PlanException($"{f}.mix: at least one weight must be > 0.");
                }
            }
            else if (kind == ScenarioKind.Journey)
            {
                // A day in a wallet: mostly payments and looking at the history, a few sign-ups and refunds.
                mix[ScenarioKind.Payment] = 60;
                mix[ScenarioKind.History] = 25;
                mix[ScenarioKind.Onboarding] = 10;
                mix[ScenarioKind.Refund] = 5;
            }

            IReadOnlyList<LoadSimulation> load;
            if (s.Load is null)
            {
                var rate = totalRate * (weight / defaultWeightSum);
                load = [LoadSimulation.Inject(rate, TimeSpan.FromSeconds(1), scale(planDuration))];
            }
            else
            {
                load = CompileLoad(s.Load, f, rateScale, scale);
            }

            result.Add(new PlanScenario(kind, s.Name, weight, load, mix, s.MaxConcurrency ?? ScenarioProps.DefaultMaxConcurrency));
        }

        return result;
    }

    private static double ExplicitPeakRate(PlanDocument doc) =>
        doc.Scenarios!.Sum(s => s.Load?.Where(l => l.Kind is "inject" or "rampingInject" or "injectRandom")
            .Select(l => Math.Max(l.Rate ?? 0, l.MaxRate ?? 0) / (l.Interval is null ? 1 : Math.Max(0.001, DurationText.TryParse(l.Interval, out var i) ? i.TotalSeconds : 1)))
            .DefaultIfEmpty(0).Max() ?? 0);

    private static List<LoadSimulation> CompileLoad(List<PlanLoadDocument> phases, string f, double rateScale, Func<TimeSpan, TimeSpan> scale)
    {
        if (phases.Count == 0)
        {
            throw new PlanException($"{f}.load: at least one phase is required, or leave \"load\" out for the plan's rate.");
        }

        var list = new List<LoadSimulation>();
        for (var i = 0; i < phases.Count; i++)
        {
            var l = phases[i];
            var g = $"{f}.load[{i}]";
            TimeSpan During() => scale(DurationText.Parse(l.During ?? throw new PlanException($"{g}.during: required for {l.Kind}."), $"{g}.during"));
            TimeSpan Interval() => l.Interval is null ? TimeSpan.FromSeconds(1) : DurationText.Parse(l.Interval, $"{g}.interval");
            double Rate(double? v, string name) => v is { } x && double.IsFinite(x) && x >= 0
                ? x * rateScale
                : throw new PlanException($"{g}.{name}: required, a number >= 0 per interval.");
            int Copies() => l.Copies is { } c && c >= 0 ? c : throw new PlanException($"{g}.copies: required, a number >= 0.");

            LoadSimulation sim = l.Kind switch
            {
                "inject" => LoadSimulation.Inject(Rate(l.Rate, "rate"), Interval(), During()),
                "rampingInject" => LoadSimulation.RampingInject(Rate(l.Rate, "rate"), Interval(), During()),
                "injectRandom" => LoadSimulation.InjectRandom(Rate(l.Rate, "rate"), Rate(l.MaxRate, "maxRate"), Interval(), During()),
                "pause" => LoadSimulation.Pause(During()),
                "keepConstant" => LoadSimulation.KeepConstant(Copies(), During()),
                "rampingConstant" => LoadSimulation.RampingConstant(Copies(), During()),
                "iterations" => LoadSimulation.Iterations(Math.Max(1, Copies()), l.Count is { } n && n >= 0 ? n : throw new PlanException($"{g}.count: required, a number >= 0.")),
                _ => throw new PlanException($"{g}.kind: \"{l.Kind}\" is not a load simulation; allowed: {KnownNames.List(KnownNames.LoadKinds)}."),
            };
            list.Add(sim);
        }

        if (list.Any(x => x.IsOpen) && list.Any(x => x.IsClosed))
        {
            throw new PlanException($"{f}.load: mixes open (inject*) and closed (keepConstant, rampingConstant, iterations) phases; a scenario is one or the other.");
        }

        return list;
    }

    private static List<TimedFaultRule> CompileFaults(List<JsonObject>? faults, string p, TimeSpan planDuration, int? embeddedNodes, Func<TimeSpan, TimeSpan> scale)
    {
        var result = new List<TimedFaultRule>();
        for (var i = 0; i < (faults?.Count ?? 0); i++)
        {
            var f = $"{p} faults[{i}]";
            var rule = (JsonObject)faults![i].DeepClone();
            var name = rule["name"] is JsonValue nv && nv.TryGetValue<string>(out var n) && !string.IsNullOrWhiteSpace(n)
                ? n
                : throw new PlanException($"{f}.name: required (a unique rule name, used to clear the rule when its window ends).");
            if (result.Any(r => r.Name == name))
            {
                throw new PlanException($"{f}.name: \"{name}\" appears twice; rule names must be unique.");
            }

            var start = ReadDuration(rule, "start", f) ?? TimeSpan.Zero;
            var duration = ReadDuration(rule, "duration", f);
            if (start >= planDuration)
            {
                throw new PlanException($"{f}.start: {DurationText.Format(start)} is not inside the plan's duration ({DurationText.Format(planDuration)}).");
            }

            if (duration is { } d && d <= TimeSpan.Zero)
            {
                throw new PlanException($"{f}.duration: must be > 0.");
            }

            // The timeline applies the rule at its (scaled) start; the fault engine only sees the window's length.
            rule.Remove("start");
            var scaledDuration = duration is null ? (TimeSpan?)null : scale(duration.Value);
            if (scaledDuration is { } sd)
            {
                rule["duration"] = DurationText.Format(sd);
            }

            if (rule["ramp"] is JsonObject ramp && ramp["over"] is JsonValue over && over.TryGetValue<string>(out var overText)
                && DurationText.TryParse(overText, out var overSpan))
            {
                ramp["over"] = DurationText.Format(scale(overSpan));
            }

            // The embedded topology is known now, so the fault engine's own parser can refuse a bad rule before anything starts.
            if (embeddedNodes is { } nodes)
            {
                FaultRuleCheck.Validate(rule, nodes, f);
            }

            result.Add(new TimedFaultRule(name, scale(start), scaledDuration, rule));
        }

        return result;
    }

    private static TimeSpan? ReadDuration(JsonObject rule, string field, string f)
    {
        if (rule[field] is null)
        {
            return null;
        }

        var text = rule[field] is JsonValue v && v.TryGetValue<string>(out var s) ? s : rule[field]!.ToJsonString();
        return DurationText.Parse(text, $"{f}.{field}");
    }

    private static Uri ParseUrl(string text, string field) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? uri
            : throw new PlanException($"{field}: \"{text}\" is not an http(s) URL, e.g. \"http://localhost:7300\".");

    /// <summary>Turns System.Text.Json's messages into one line naming the field and, for unknown fields, the allowed ones.</summary>
    private static string Describe(JsonException ex)
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
                : "; allowed: " + KnownNames.List(type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Select(pi => JsonNamingPolicy.CamelCase.ConvertName(pi.Name)));
            var where = path.EndsWith("." + property, StringComparison.Ordinal) || path.EndsWith("['" + property + "']", StringComparison.Ordinal) ? path : $"{path}.{property}";
            return $"{Trim(where)}: unknown field \"{property}\"{allowed}.";
        }

        if (ex.Message.Contains("could not be converted", StringComparison.Ordinal))
        {
            return $"{Trim(path)}: wrong type of value; see docs/plans.md for the schema.";
        }

        var firstLine = ex.Message.Split('\n')[0];
        return $"{Trim(path)}: not valid JSON ({firstLine.Split(" Path:")[0].TrimEnd('.')}).";
    }

    private static string Trim(string path) => path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path;

    [GeneratedRegex(@"The JSON property '(?<prop>[^']*)' could not be mapped to any \.NET member contained in type '(?<type>[^']+)'", RegexOptions.CultureInvariant)]
    private static partial Regex Unmapped();

    [GeneratedRegex(@"^[A-Za-z0-9_-]{1,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex SafeName();
}
