using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Json.Schema;
using PaySim.LoadTests.Plans;
using PaySim.LoadTests.Plans.Documents;
using PaySim.LoadTests.Tests.Deploy;

namespace PaySim.LoadTests.Tests.Plans;

/// <summary>
/// plans/plan.schema.json stays true: every shipped plan names it and passes it, its fields are exactly
/// the plan documents' fields, its name lists are the compiler's, and what it refuses the compiler refuses.
/// </summary>
public sealed class PlanSchemaTests
{
    private static readonly string SchemaPath = Path.Combine(RepoPaths.Root, "plans", "plan.schema.json");
    private static readonly JsonSchema Schema = JsonSchema.FromText(File.ReadAllText(SchemaPath));
    private static readonly JsonObject SchemaJson = JsonNode.Parse(File.ReadAllText(SchemaPath))!.AsObject();

    public static TheoryData<string> ShippedPlans => new(PlanCatalog.List().Keys);

    [Theory]
    [MemberData(nameof(ShippedPlans))]
    public void Every_shipped_plan_names_the_schema_and_passes_it(string name)
    {
        var text = File.ReadAllText(PlanCatalog.List()[name]);
        using var plan = JsonDocument.Parse(text);

        Assert.Equal("./plan.schema.json", plan.RootElement.GetProperty("$schema").GetString());
        var result = Schema.Evaluate(plan.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        Assert.True(result.IsValid, $"{name}: {Errors(result)}");
        PlanCompiler.Compile(text, name); // and the compiler takes it
    }

    [Fact]
    public void The_schema_is_not_listed_as_a_plan()
    {
        Assert.DoesNotContain(PlanCatalog.List().Keys, k => k.Contains("schema", StringComparison.Ordinal));
        Assert.True(File.Exists(Path.Combine(AppContext.BaseDirectory, "plans", "plan.schema.json")), "the schema ships beside the plans");
    }

    [Theory]
    [InlineData("", typeof(PlanDocument))]
    [InlineData("$defs.target", typeof(PlanTargetDocument))]
    [InlineData("$defs.target.properties.embedded", typeof(PlanEmbeddedDocument))]
    [InlineData("$defs.target.properties.external", typeof(PlanExternalDocument))]
    [InlineData("$defs.client", typeof(PlanClientDocument))]
    [InlineData("$defs.scenario", typeof(PlanScenarioDocument))]
    [InlineData("$defs.load", typeof(PlanLoadDocument))]
    [InlineData("$defs.nodeEvent", typeof(PlanNodeEventDocument))]
    [InlineData("properties.capacity", typeof(PlanCapacityDocument))]
    public void The_schema_has_exactly_the_fields_of_the_plan_documents(string path, Type document)
    {
        var node = path.Length == 0 ? SchemaJson : path.Split('.').Aggregate((JsonNode)SchemaJson, (n, part) => n[part]!);
        var schemaFields = node["properties"]!.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal).ToArray();
        var documentFields = document.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Select(p => p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? JsonNamingPolicy.CamelCase.ConvertName(p.Name))
            .Order(StringComparer.Ordinal).ToArray();

        Assert.Equal(documentFields, schemaFields);
        Assert.False(node["additionalProperties"]!.GetValue<bool>(), $"{path}: unknown fields must be refused, as the compiler does");
    }

    [Fact]
    public void The_schema_name_lists_are_the_compilers()
    {
        Assert.Equal(KnownNames.Personas, Enum("$defs.persona"));
        Assert.Equal(KnownNames.Scenarios, Enum("$defs.scenario.properties.name"));
        Assert.Equal(KnownNames.LoadKinds, Enum("$defs.load.properties.kind"));
        Assert.Equal(KnownNames.BalancingPolicies, Enum("$defs.target.properties.embedded.properties.balancingPolicy"));
        Assert.Equal(KnownNames.JourneyActions, Enum("$defs.scenario.properties.mix.propertyNames"));
        Assert.Equal(KnownNames.NodeStates.Concat(KnownNames.WalletStates), Enum("$defs.nodeEvent.properties.state"));
        Assert.Equal(PaySim.Wallet.Defects.WalletDefects.Names, Enum("$defs.defect"));
        Assert.Equal(LoadLimits.MaxRatePerSecond, SchemaJson["properties"]!["rate"]!["maximum"]!.GetValue<double>());
        Assert.Equal(LoadLimits.MaxCopies, SchemaJson["$defs"]!["load"]!["properties"]!["copies"]!["maximum"]!.GetValue<int>());
    }

    [Fact]
    public void The_schema_reads_each_load_kinds_fields_as_the_compiler_does()
    {
        var rules = SchemaJson["$defs"]!["load"]!["allOf"]!.AsArray()
            .ToDictionary(r => r!["if"]!["properties"]!["kind"]!["const"]!.GetValue<string>(), r => r!["then"]!["propertyNames"]!["enum"]!.AsArray().Select(v => v!.GetValue<string>()).ToArray());

        Assert.Equal(LoadCompiler.FieldsByKind.Keys.Order(StringComparer.Ordinal), rules.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(KnownNames.LoadKinds.Order(StringComparer.Ordinal), rules.Keys.Order(StringComparer.Ordinal));
        foreach (var (kind, fields) in LoadCompiler.FieldsByKind)
        {
            Assert.Equal(fields.Prepend("kind").Order(StringComparer.Ordinal), rules[kind].Order(StringComparer.Ordinal));
        }
    }

    [Theory]
    [InlineData("""{ "rate": 2, "scenarios": [ { "name": "payment", "wieght": 2 } ] }""", "wieght")]
    [InlineData("""{ "rate": 2, "scenarios": [ { "name": "paymnet" } ] }""", "scenarios[0].name")]
    [InlineData("""{ "rate": 2, "duration": "5x", "scenarios": [ { "name": "payment" } ] }""", "duration")]
    [InlineData("""{ "rate": 2, "seed": -1, "scenarios": [ { "name": "payment" } ] }""", "seed")]
    [InlineData("""{ "rate": 2, "seed": 1.5, "scenarios": [ { "name": "payment" } ] }""", "seed")]
    [InlineData("""{ "rate": 2, "seed": 2147483648.0, "scenarios": [ { "name": "payment" } ] }""", "seed")]
    [InlineData("""{ "rate": 2, "duration": "0s", "scenarios": [ { "name": "payment" } ] }""", "duration")]
    [InlineData("""{ "rate": 2, "duration": "0", "scenarios": [ { "name": "payment" } ] }""", "duration")]
    [InlineData("""{ "rate": 2, "duration": "1h1h", "scenarios": [ { "name": "payment" } ] }""", "duration")]
    [InlineData("""{ "rate": 2, "warmUp": "1s1m", "scenarios": [ { "name": "payment" } ] }""", "warmUp")]
    [InlineData("""{ "rate": 2, "duration": "1ms1s", "scenarios": [ { "name": "payment" } ] }""", "duration")]
    [InlineData("""{ "rate": 2, "duration": "10s ", "scenarios": [ { "name": "payment" } ] }""", "duration")]
    [InlineData("""{ "rate": 2, "duration": " 9s", "scenarios": [ { "name": "payment" } ] }""", "duration")]
    [InlineData("""{ "rate": 2, "warmUp": "1s ", "scenarios": [ { "name": "payment" } ] }""", "warmUp")]
    [InlineData("""{ "rate": 2, "settle": " 0", "scenarios": [ { "name": "payment" } ] }""", "settle")]
    [InlineData("""{ "rate": 2, "scenarios": [ { "name": "payment", "load": [ { "kind": "inject", "rate": 3, "during": " 5s" } ] } ] }""", "load[0].during")]
    [InlineData("""{ "rate": 2, "scenarios": [ { "name": "payment" } ], "target": { "embedded": {}, "external": { "walletUrls": [ "http://127.0.0.1:1" ], "simulatorUrl": "http://127.0.0.1:2" } } }""", "target")]
    [InlineData("""{ "rate": 60000, "scenarios": [ { "name": "payment" } ] }""", "rate")]
    [InlineData("""{ "rate": 2, "personas": { "rich": 1 }, "scenarios": [ { "name": "payment" } ] }""", "personas.rich")]
    [InlineData("""{ "rate": 2, "target": { "embedded": { "nodes": 12 } }, "scenarios": [ { "name": "payment" } ] }""", "target.embedded.nodes")]
    [InlineData("""{ "rate": 2, "scenarios": [ { "name": "payment", "load": [ { "kind": "surge" } ] } ] }""", "load[0].kind")]
    [InlineData("""{ "rate": 2, "scenarios": [ { "name": "payment" } ], "nodeEvents": [ { "node": "issuer-1", "state": "melted", "start": "1s" } ] }""", "nodeEvents[0].state")]
    [InlineData("""{ "rate": 2, "scenarios": [ { "name": "payment" } ], "catches": [ "no-failovr" ] }""", "catches[0]")]
    [InlineData("""{ "rate": 2, "scenarios": [ { "name": "payment" } ], "catches": [ "sticky-node", "sticky-node" ] }""", "catches[1]")]
    [InlineData("""{ "rate": 2, "scenarios": [ { "name": "payment" } ], "claims": [ "success_rate >= 99%" ], "catches": [ { "defect": "sticky-node", "by": [] } ] }""", "catches[0].by")]
    [InlineData("""{ "rate": 2, "scenarios": [ { "name": "payment" } ], "claims": [ "success_rate >= 99%" ], "catches": [ { "defect": "sticky-node" } ] }""", "catches[0].by")]
    [InlineData("""{ "rate": 2, "scenarios": [ { "name": "payment" } ], "claims": [ "success_rate >= 99%" ], "catches": [ { "defect": "sticky-nod", "by": [ "success_rate" ] } ] }""", "catches[0].defect")]
    [InlineData("""{ "rate": 2, "scenarios": [ { "name": "payment" } ], "claims": [ "success_rate >= 99%" ], "catches": [ { "defect": "sticky-node", "by": [ "success_rate" ], "why": "x" } ] }""", "catches[0].why")]
    [InlineData("""{ "rate": 2, "scenarios": [ { "name": "payment" } ], "claims": [ "success_rate >= 99%" ], "catches": [ { "defect": "sticky-node", "by": [ "success_rate", "success_rate" ] } ] }""", "catches[0].by[1]")]
    [InlineData("""{ "rate": 2, "scenarios": [ { "name": "payment" } ], "claims": [ "success_rate >= 99%" ], "catches": [ { "defect": "sticky-node", "by": [ 3 ] } ] }""", "catches[0].by[0]")]
    [InlineData("""{ "rate": 2, "scenarios": [ { "name": "payment" } ], "risk": { "velocity": { "count": 0, "window": "10s" } } }""", "risk.velocity.count")]
    [InlineData("""{ "rate": 2, "scenarios": [ { "name": "payment" } ], "risk": { "velocity": { "count": 5 } } }""", "risk.velocity.window")]
    [InlineData("""{ "rate": 2, "scenarios": [ { "name": "payment" } ], "risk": { "repeat": { "window": "1s", "action": "block" } } }""", "risk.repeat.action")]
    [InlineData("""{ "rate": 2, "scenarios": [ { "name": "payment" } ], "risk": { "velocty": null } }""", "risk.velocty")]
    [InlineData("""{ "rate": 2, "scenarios": [ { "name": "payment", "load": [ { "kind": "iterations", "copies": 0, "count": 5 } ] } ] }""", "load[0].copies")]
    [InlineData("""{ "rate": 2, "scenarios": [ { "name": "payment", "load": [ { "kind": "keepConstant", "copies": 2, "during": "5s", "rate": 3 } ] } ] }""", "load[0].rate")]
    [InlineData("""{ "rate": 2, "scenarios": [ { "name": "payment", "load": [ { "kind": "inject", "rate": 3 } ] } ] }""", "load[0].during")]
    [InlineData("""{ "rate": 2, "scenarios": [ { "name": "payment", "load": [ { "kind": "injectRandom", "rate": 3, "during": "5s" } ] } ] }""", "load[0].maxRate")]
    [InlineData("""{ "rate": 2, "scenarios": [ { "name": "payment" } ], "claims": [ { "claim": "success_rate >= 99%", "abortOnFial": true } ] }""", "claims[0].abortOnFial")]
    [InlineData("""{ "rate": 2, "scenarios": [ { "name": "payment" } ], "claims": [ { "claim": "success_rate >= 99%", "abortOnFail": "yes" } ] }""", "claims[0].abortOnFail")]
    [InlineData("""{ "rate": 2, "scenarios": [ { "name": "payment" } ], "claims": [ { "abortOnFail": true } ] }""", "claims[0].claim")]
    [InlineData("""{ "rate": 2, "scenarios": [ { "name": "payment" } ], "claims": [ { "claim": "success_rate >= 99%", "abortOnFail": true, "delayAbortEval": "soon" } ] }""", "claims[0].delayAbortEval")]
    [InlineData("""{ "rate": 2, "scenarios": [ { "name": "payment" } ], "claims": [ 5 ] }""", "claims[0]")]
    [InlineData("""{ "rate": 2, "scenarios": [ { "name": "payment" } ], "client": { "doubleTap": 1.5 } }""", "client.doubleTap")]
    [InlineData("""{ "rate": 2, "scenarios": [ { "name": "payment" } ], "client": { "doubleTap": -0.5 } }""", "client.doubleTap")]
    [InlineData("""{ "rate": 2, "scenarios": [ { "name": "payment" } ], "client": { "doubleTap": "often" } }""", "client.doubleTap")]
    public void What_the_schema_refuses_the_compiler_refuses_naming_the_field(string json, string field)
    {
        using var plan = JsonDocument.Parse(json);

        Assert.False(Schema.Evaluate(plan.RootElement).IsValid, "the schema must refuse it");
        var refused = Assert.Throws<PlanException>(() => PlanCompiler.Compile(json, "p"));
        Assert.Contains(field, refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{ "rate": 2, "warmUp": "0", "settle": "0", "scenarios": [ { "name": "payment" } ] }""")]
    [InlineData("""{ "rate": 2, "duration": "1h30m", "warmUp": "1m30s", "settle": "1.5s", "scenarios": [ { "name": "payment" } ] }""")]
    [InlineData("""{ "rate": 2, "duration": "1h1m1s250ms", "warmUp": "250ms", "scenarios": [ { "name": "payment" } ] }""")]
    [InlineData("""{ "rate": 2, "target": {}, "scenarios": [ { "name": "payment" } ] }""")]
    [InlineData("""{ "rate": 2, "seed": 1.0, "preboundCards": 2.0, "scenarios": [ { "name": "payment" } ] }""")]
    [InlineData("""{ "rate": 2, "scenarios": [ { "name": "payment" } ], "claims": [ "success_rate >= 99%", "step:pay p99 < 2s" ], "catches": [ "no-failover", { "defect": "sticky-node", "by": [ "step:pay p99", "success_rate" ] } ] }""")]
    [InlineData("""{ "rate": 2, "target": { "external": { "walletUrls": [ "HTTP://127.0.0.1:7300" ], "simulatorUrl": "Http://127.0.0.1:7000" } }, "scenarios": [ { "name": "payment" } ] }""")]
    [InlineData("""{ "rate": 2, "scenarios": [ { "name": "payment" } ], "claims": [ "rps >= 0.5", { "claim": "success_rate >= 99%", "abortOnFail": true, "delayAbortEval": "10s" }, { "claim": "money_conserved == true" } ] }""")]
    [InlineData("""{ "rate": 2, "scenarios": [ { "name": "payment" } ], "client": { "doubleTap": 0.4 } }""")]
    [InlineData("""{ "rate": 2, "scenarios": [ { "name": "payment" } ], "client": { "doubleTap": 0, "paymentRetries": 1 } }""")]
    [InlineData("""{ "rate": 2, "scenarios": [ { "name": "payment" } ], "client": { "doubleTap": 1 } }""")]
    public void What_the_compiler_takes_the_schema_takes_so_an_editor_does_not_mark_a_plan_that_runs(string json)
    {
        using var plan = JsonDocument.Parse(json);

        PlanCompiler.Compile(json, "p");
        var result = Schema.Evaluate(plan.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        Assert.True(result.IsValid, Errors(result));
    }

    [Fact]
    public void The_schema_reads_an_object_claim_with_the_compilers_fields()
    {
        var claim = SchemaJson["$defs"]!["claim"]!["oneOf"]![1]!;

        Assert.Equal(ClaimCompiler.ObjectFields.Order(StringComparer.Ordinal), claim["properties"]!.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal));
        Assert.False(claim["additionalProperties"]!.GetValue<bool>(), "unknown fields of a claim must be refused, as the compiler does");
    }

    private static string[] Enum(string path) =>
        path.Split('.').Aggregate((JsonNode)SchemaJson, (n, part) => n[part]!)["enum"]!.AsArray().Select(v => v!.GetValue<string>()).ToArray();

    private static string Errors(EvaluationResults result) =>
        string.Join("; ", (result.Details ?? []).Where(d => d.Errors is { Count: > 0 }).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}")));
}
