using PaySim.LoadEngine;
using PaySim.LoadTests.Plans;

namespace PaySim.LoadTests.Tests.Plans;

public sealed class PlanCompilerTests
{
    private const string Minimal = """
        { "name": "t", "duration": "40s", "rate": 20,
          "scenarios": [ { "name": "payment", "weight": 3 }, { "name": "history", "weight": 1 } ],
          "nodeEvents": [ { "node": "issuer-2", "state": "down", "start": "10s", "duration": "20s" } ],
          "faults": [ { "name": "slow", "node": "issuer-1", "method": "Authorize", "latency": "50ms", "start": "20s", "duration": "10s", "ramp": { "over": "8s" } } ],
          "claims": [ "success_rate >= 99%", "step:pay p99 < 500ms", "money_conserved == true" ] }
        """;

    [Theory]
    [InlineData("smoke")]
    [InlineData("default")]
    [InlineData("node-loss")]
    [InlineData("sms-timeout")]
    [InlineData("brownout")]
    [InlineData("lb-fairness")]
    [InlineData("double-charge")]
    [InlineData("double-tap")]
    [InlineData("capacity")]
    [InlineData("soak")]
    [InlineData("instance-crash")]
    [InlineData("instance-freeze")]
    [InlineData("issuer-hang")]
    [InlineData("crash-abandon")]
    [InlineData("late-capture")]
    [InlineData("sms-outage")]
    [InlineData("not-serving")]
    [InlineData("rate-limit")]
    [InlineData("risk")]
    [InlineData("risk-sized")]
    [InlineData("step-up")]
    public void ShippedPlan_CompilesWithADescriptionAndTheReconciliationClaims(string name)
    {
        var (json, source) = PlanCatalog.Resolve(name);
        var plan = PlanCompiler.Compile(json, source);

        Assert.Equal(name, plan.Name);
        Assert.NotEmpty(plan.Description);
        foreach (var claim in new[] { "excess_charges == 0", "told_failed_charged == 0", "lost_payments == 0", "orphan_holds == 0", "stuck_pending == 0" })
        {
            Assert.Contains(claim, plan.Claims.Select(c => c.Text));
        }
    }

    [Theory]
    [InlineData("no-such-defect", "--defect: \"no-such-defect\" is not a planted defect; allowed: no-failover, ")]
    public void Defect_UnknownName_IsRefusedNamingTheKnownOnes(string defect, string expectedStart)
    {
        var (json, source) = PlanCatalog.Resolve("smoke");
        var ex = Assert.Throws<PlanException>(() => PlanCompiler.Compile(json, source, new PlanOverrides { Defects = [defect] }));
        Assert.StartsWith(expectedStart, ex.Message);
    }

    [Fact]
    public void Defect_OnNaiveMode_IsRefused_AndAKnownOneReachesTheEmbeddedTarget()
    {
        var (json, source) = PlanCatalog.Resolve("smoke");
        var ex = Assert.Throws<PlanException>(() => PlanCompiler.Compile(json, source, new PlanOverrides { Defects = ["no-failover"], WalletMode = "naive" }));
        Assert.Contains("resilient", ex.Message);
        var plan = PlanCompiler.Compile(json, source, new PlanOverrides { Defects = ["no-failover", "no-failover", "sticky-node"] });
        Assert.Equal(new[] { "no-failover", "sticky-node" }, plan.Target.Embedded.Defects);
    }

    [Fact]
    public void EveryPlanInThePlansFolder_IsCoveredByTheShippedPlanTest()
    {
        var tested = typeof(PlanCompilerTests).GetMethod(nameof(ShippedPlan_CompilesWithADescriptionAndTheReconciliationClaims))!
            .GetCustomAttributes(typeof(InlineDataAttribute), false).Cast<InlineDataAttribute>().Select(a => (string)a.GetData(null!).Single()[0]).ToHashSet();

        Assert.Equal(PlanCatalog.List().Keys.Order(), tested.Order());
    }

    [Fact]
    public void Compile_SplitsThePlanRateOverScenariosByWeight()
    {
        var plan = PlanCompiler.Compile(Minimal, "t.json");

        Assert.Equal(15, plan.Scenarios[0].Load.Single().RatePerSecond, 9);
        Assert.Equal(5, plan.Scenarios[1].Load.Single().RatePerSecond, 9);
        Assert.All(plan.Scenarios, s => Assert.Equal(TimeSpan.FromSeconds(40), s.Load.Single().During));
    }

    [Fact]
    public void Compile_WithDurationAndRateOverrides_ScalesPhasesFaultsAndNodeEvents()
    {
        var plan = PlanCompiler.Compile(Minimal, "t.json", new PlanOverrides { Duration = TimeSpan.FromSeconds(10), Rate = 40 });

        Assert.Equal(TimeSpan.FromSeconds(10), plan.Duration);
        Assert.Equal(30, plan.Scenarios[0].Load.Single().RatePerSecond, 9);
        Assert.Equal(TimeSpan.FromSeconds(10), plan.Scenarios[0].Load.Single().During);
        Assert.Equal(TimeSpan.FromSeconds(2.5), plan.NodeEvents.Single().Start);
        Assert.Equal(TimeSpan.FromSeconds(5), plan.NodeEvents.Single().Duration);
        var fault = plan.Faults.Single();
        Assert.Equal(TimeSpan.FromSeconds(5), fault.Start);
        Assert.Equal("2500ms", fault.Rule["duration"]!.GetValue<string>());
        Assert.Equal("2s", fault.Rule["ramp"]!["over"]!.GetValue<string>());
        Assert.Null(fault.Rule["start"]);
    }

    [Fact]
    public void Compile_ParsesClaimsWithTheEnginesGrammar()
    {
        var plan = PlanCompiler.Compile(Minimal, "t.json");

        Assert.Equal(0.99, plan.Claims[0].Expression.Value, 9);
        Assert.Equal("step", plan.Claims[1].Expression.ScopeKind);
        Assert.Equal("pay", plan.Claims[1].Expression.ScopeName);
        Assert.Equal(500, plan.Claims[1].Expression.Value, 9);
        Assert.Equal(1, plan.Claims[2].Expression.Value, 9);
    }

    [Theory]
    [InlineData("""{ "rate": 1, "scenarios": [ { "name": "payment" } ], "colour": "red" }""", "colour", "allowed:")]
    [InlineData("""{ "rate": 1, "scenarios": [ { "name": "payment", "wieght": 2 } ] }""", "scenarios[0].wieght", "allowed:")]
    [InlineData("""{ "rate": 1, "duration": "30 seconds", "scenarios": [ { "name": "payment" } ] }""", "duration", "\"30s\"")]
    [InlineData("""{ "rate": 1, "scenarios": [ { "name": "shopping" } ] }""", "scenarios[0].name", "onboarding, payment, refund, history, password-reset, qr-pay, journey")]
    [InlineData("""{ "rate": 1, "scenarios": [ { "name": "payment" } ], "claims": [ "success_rate >> 99%" ] }""", "claims[0]", "expected")]
    [InlineData("""{ "rate": 1, "scenarios": [ { "name": "payment" } ], "claims": [ "happiness >= 1" ] }""", "claims[0]", "unknown metric")]
    [InlineData("""{ "rate": 1, "scenarios": [ { "name": "payment" } ], "claims": [ "step:checkout p99 < 1s" ] }""", "claims[0]", "register, bind_start")]
    [InlineData("""{ "rate": 1, "scenarios": [ { "name": "payment" } ], "claims": [ "step:pay p99 < 99%" ] }""", "claims[0]", "duration")]
    [InlineData("""{ "rate": 1, "scenarios": [ { "name": "payment" } ], "personas": { "rich": 1 } }""", "personas.rich", "phone-mismatch")]
    [InlineData("""{ "rate": 1, "scenarios": [ { "name": "payment" } ], "nodeEvents": [ { "node": "issuer-7", "state": "down" } ] }""", "nodeEvents[0].node", "issuer-1, issuer-2, issuer-3")]
    [InlineData("""{ "rate": 1, "scenarios": [ { "name": "payment" } ], "nodeEvents": [ { "node": "issuer-1", "state": "asleep" } ] }""", "nodeEvents[0].state", "down, notServing")]
    [InlineData("""{ "rate": 1, "scenarios": [ { "name": "payment" } ], "target": { "embedded": { "walletMode": "careful" } } }""", "target.embedded.walletMode", "naive, resilient")]
    [InlineData("""{ "rate": 1, "scenarios": [ { "name": "payment", "load": [ { "kind": "flood", "rate": 5, "during": "5s" } ] } ] }""", "scenarios[0].load[0].kind", "rampingInject")]
    [InlineData("""{ "scenarios": [ { "name": "payment" } ] }""", "rate", "required")]
    [InlineData("""{ "rate": 1, "scenarios": [ { "name": "payment" } ], "faults": [ { "node": "issuer-1", "latency": "5ms" } ] }""", "faults[0].name", "required")]
    [InlineData("""{ "rate": 1, "scenarios": [ { "name": "payment" } ], "faults": [ { "name": "x", "node": "issuer-1", "latency": "5ms", "start": "90s" } ] }""", "faults[0].start", "not inside")]
    [InlineData("""{ "rate": "fast", "scenarios": [ { "name": "payment" } ] }""", "rate", "rate: must be a number, got the string \"fast\"; see docs/plans.md")]
    [InlineData("""{ "rate": 1, "scenarios": [ { "name": "onboarding" } ], "client": { "otpResends": 6 } }""", "client.otpResends", "between 0 and 5, got 6")]
    [InlineData("""{ "rate": 1, "scenarios": [ { "name": "onboarding" } ], "client": { "otpResends": -1 } }""", "client.otpResends", "between 0 and 5, got -1")]
    [InlineData("""{ "rate": 1, "scenarios": [ { "name": "onboarding" } ], "client": { "otpResends": "twice" } }""", "client.otpResends", "client.otpResends: must be a whole number, got the string \"twice\"")]
    [InlineData("""{ "rate": 1, "scenarios": [ { "name": "payment" } ], "client": { "doubleTap": 1.5 } }""", "client.doubleTap", "must be a share between 0 and 1 (0.3 = 30% of payments sent twice at once), got 1.5.")]
    [InlineData("""{ "rate": 1, "scenarios": [ { "name": "payment" } ], "client": { "doubleTap": -0.1 } }""", "client.doubleTap", "must be a share between 0 and 1 (0.3 = 30% of payments sent twice at once), got -0.1.")]
    [InlineData("""{ "rate": 1, "scenarios": [ { "name": "payment" } ], "client": { "doubleTap": "half" } }""", "client.doubleTap", "client.doubleTap: must be a number, got the string \"half\"")]
    [InlineData("""{ "rate": 1, "scenarios": [ { "name": "onboarding" } ], "seed": 2147483648 }""", "seed", "seed: 2147483648 is more than this field takes; see docs/plans.md for its range.")]
    [InlineData("""{ "rate": 1, "scenarios": [ { "name": "onboarding" } ], "target": { "embedded": { "nodes": 99999999999 } } }""", "target.embedded.nodes", "target.embedded.nodes: 99999999999 is more than this field takes")]
    [InlineData("""{ "rate": 1, "scenarios": [ { "name": "onboarding", "maxConcurrency": 1.5 } ] }""", "scenarios[0].maxConcurrency", "scenarios[0].maxConcurrency: must be a whole number, got 1.5; see docs/plans.md for the schema.")]
    [InlineData("""{ "rate": 1, "scenarios": [ { "name": "onboarding" } ], "seed": 1.5 }""", "seed", "plan bad.json: seed: must be a whole number, got 1.5; see docs/plans.md for the schema.")]
    [InlineData("""{ "rate": 1, "scenarios": [ { "name": "onboarding" } ], "seed": 2147483648.0 }""", "seed", "plan bad.json: seed: 2147483648.0 is more than this field takes; see docs/plans.md for its range.")]
    [InlineData("""{ "rate": 1, "scenarios": [ { "name": "onboarding" } ], "seed": 1e10 }""", "seed", "plan bad.json: seed: 1e10 is more than this field takes; see docs/plans.md for its range.")]
    [InlineData("""{ "rate": 1, "scenarios": [ { "name": "onboarding" } ], "seed": -1.0 }""", "seed", "plan bad.json: seed: -1 is negative; a seed is a whole number from 0 to 2147483647.")]
    [InlineData("""{ "rate": 1, "scenarios": [ { "name": "onboarding" } ], "seed": "1" }""", "seed", "plan bad.json: seed: must be a whole number, got the string \"1\"")]
    [InlineData("""{ "rate": 1, "scenarios": [ { "name": "onboarding", "maxConcurrency": -2147483649 } ] }""", "scenarios[0].maxConcurrency", "-2147483649 is less than this field takes")]
    [InlineData("""{ "rate": 1, "scenarios": { "name": "onboarding" } }""", "scenarios", "scenarios: must be an array, got an object")]
    [InlineData("""[ 1, 2 ]""", "$", "$: must be an object, got an array")]
    [InlineData("""null""", "$", "$: must be a JSON object (a plan), got null.")]
    [InlineData("""{ /* a comment */ "rate": "fast", "scenarios": [ { "name": "payment" }, ] }""", "rate", "rate: must be a number, got the string \"fast\"")]
    [InlineData("""{ "rate": "fast", "scenarios": [ { "name": "payment" } ], "seed": 1, "seed": 2 }""", "rate", "rate: must be a number; see docs/plans.md for the schema.")]
    [InlineData("""{ "rate": 1, "rate": 2, "scenarios": [ { "name": "payment" } ] }""", "rate", "plan bad.json: rate: given twice (a duplicate field); give each field once.")]
    [InlineData("""{ "schema": "x", "rate": 1, "scenarios": [ { "name": "payment" } ] }""", "schema", "unknown field \"schema\"; allowed: $schema, name,")]
    [InlineData("""{ "rate": 0, "scenarios": [ { "name": "payment" } ] }""", "rate", "rate: 0 would send no load to the scenarios without a \"load\" of their own")]
    [InlineData("""{ "scenarios": [ { "name": "payment", "load": [ { "kind": "inject", "rate": -1, "during": "5s" } ] } ] }""", "scenarios[0].load[0].rate", "scenarios[0].load[0].rate: must be a number >= 0 per interval, got -1.")]
    public void Compile_BadInput_IsRefusedWithOneLineNamingTheField(string json, string field, string hint)
    {
        var ex = Assert.Throws<PlanException>(() => PlanCompiler.Compile(json, "bad.json"));

        Assert.DoesNotContain('\n', ex.Message);
        Assert.Contains(field, ex.Message, StringComparison.Ordinal);
        Assert.Contains(hint, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{ "scenarios": [ { "name": "payment", "load": [ { "kind": "keepConstant", "copies": 0, "during": "3s" } ] } ], "duration": "3s" }""")]
    [InlineData("""{ "scenarios": [ { "name": "payment", "load": [ { "kind": "inject", "rate": 0, "during": "3s" } ] } ], "duration": "3s" }""")]
    [InlineData("""{ "scenarios": [ { "name": "payment", "load": [ { "kind": "injectRandom", "rate": 0, "maxRate": 0, "during": "1s" }, { "kind": "pause", "during": "1s" }, { "kind": "rampingInject", "rate": 0, "during": "1s" } ] } ], "duration": "3s" }""")]
    [InlineData("""{ "scenarios": [ { "name": "payment", "load": [ { "kind": "iterations", "copies": 2, "count": 0 } ] } ], "duration": "3s" }""")]
    [InlineData("""{ "scenarios": [ { "name": "payment", "load": [ { "kind": "rampingConstant", "copies": 0, "during": "3s" } ] }, { "name": "history", "load": [ { "kind": "pause", "during": "1s" } ] } ], "duration": "3s" }""")]
    public void Compile_LoadPhasesThatAllTogetherSendNoLoad_AreRefusedNamingTheLoad(string json)
    {
        var ex = Assert.Throws<PlanException>(() => PlanCompiler.Compile(json, "zero.json"));

        Assert.StartsWith("plan zero.json: scenarios[0].load: every phase sends no load", ex.Message, StringComparison.Ordinal);
        Assert.Contains("give a phase a rate, copies or count above 0", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', ex.Message);
    }

    [Theory]
    [InlineData("""{ "scenarios": [ { "name": "payment", "load": [ { "kind": "inject", "rate": 5, "during": "1s" }, { "kind": "inject", "rate": 0, "during": "1s" }, { "kind": "inject", "rate": 5, "during": "1s" } ] } ], "duration": "3s" }""")]
    [InlineData("""{ "scenarios": [ { "name": "payment", "load": [ { "kind": "keepConstant", "copies": 0, "during": "1s" }, { "kind": "keepConstant", "copies": 2, "during": "1s" } ] } ], "duration": "3s" }""")]
    [InlineData("""{ "scenarios": [ { "name": "payment", "load": [ { "kind": "injectRandom", "rate": 0, "maxRate": 3, "during": "1s" } ] } ], "duration": "3s" }""")]
    [InlineData("""{ "rate": 2, "scenarios": [ { "name": "payment" }, { "name": "history", "load": [ { "kind": "keepConstant", "copies": 0, "during": "3s" } ] } ], "duration": "3s" }""")]
    public void Compile_APhaseAtZeroBetweenOthersThatSendLoad_IsAPause_AndAllowed(string json)
    {
        Assert.NotEmpty(PlanCompiler.Compile(json, "pause.json").Scenarios);
    }

    [Theory]
    [InlineData("""{ "scenarios": [ { "name": "payment" } ], "rate": 5, "description": "a\ud800b" }""", "plan s.json: description: holds a \\ud800-\\udfff escape without its pair")]
    [InlineData("""{ "scenarios": [ { "name": "payment" } ], "rate": 5, "name": "a\udc00b" }""", "plan s.json: name: holds a \\ud800-\\udfff escape")]
    [InlineData("""{ "scenarios": [ { "name": "pay\ud800" } ], "rate": 5 }""", "plan s.json: scenarios[0].name: holds a \\ud800-\\udfff escape")]
    [InlineData("""{ "scenarios": [ { "name": "payment" } ], "rate": 5, "claims": [ "ok_rate >= 1\udc00" ] }""", "plan s.json: claims[0]: holds a \\ud800-\\udfff escape")]
    [InlineData("""{ "scenarios": [ { "name": "payment" } ], "rate": 5, "claims": [ { "claim": "ok_rate >= 1\udc00" } ] }""", "plan s.json: claims[0].claim: holds a \\ud800-\\udfff escape")]
    [InlineData("""{ "scenarios": [ { "name": "payment" } ], "rate": 5, "x\udc00": 1 }""", "plan s.json: $: field 3's name holds a \\ud800-\\udfff escape")]
    [InlineData("""{ "scenarios": [ { "name": "payment", "mix": 1 } ], "rate": "\ud800" }""", "plan s.json: rate: holds a \\ud800-\\udfff escape")]
    public void Compile_ALoneSurrogateEscape_IsOneLineNamingTheField_NotAnInternalError(string json, string expectedStart)
    {
        var ex = Assert.Throws<PlanException>(() => PlanCompiler.Compile(json, "s.json"));

        Assert.StartsWith(expectedStart, ex.Message, StringComparison.Ordinal);
        Assert.EndsWith("write the character itself, or a complete surrogate pair.", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Compile_ALoneSurrogateBeforeASyntaxError_IsStillOneLine()
    {
        // The document does not parse, so the reader meets the surrogate first, converting the field.
        var ex = Assert.Throws<PlanException>(() => PlanCompiler.Compile("""{ "description": "a\ud800b", "rate": 1 "scenarios": [] }""", "s.json"));

        Assert.StartsWith("plan s.json: description: holds a \\ud800-\\udfff escape", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\n  \"rate\": 1\n  \"scenarios\": []\n}", "plan j.json: $: not valid JSON at line 3, byte 3 ('\"' is invalid after a value. Expected either ',', '}', or ']').")]
    [InlineData("name: x\nrate: 1\n", "plan j.json: $: not valid JSON at line 1, byte 2 ('name: x\\nrate: 1\\n' is an invalid JSON literal. Expected the literal 'null').")]
    public void Compile_JsonThatDoesNotParse_SaysWhereByLineAndByte_OnOneLine(string json, string expected)
    {
        var ex = Assert.Throws<PlanException>(() => PlanCompiler.Compile(json, "j.json"));

        Assert.Equal(expected, ex.Message);
    }

    [Fact]
    public void Compile_JsonNestedPastTheReadersDepth_SaysTheLimit_NotInvalidJson()
    {
        var json = """{ "rate": 1, "scenarios": [ { "name": "payment" } ], "risk": """ + string.Concat(Enumerable.Repeat("{\"a\":", 70)) + "1" + new string('}', 71);

        var ex = Assert.Throws<PlanException>(() => PlanCompiler.Compile(json, "d.json"));

        Assert.StartsWith("plan d.json: $: nested deeper than the reader's limit of 64 levels at line 1, byte ", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("not valid JSON", ex.Message, StringComparison.Ordinal);
    }

    // The deserializer stops at an unknown field or a wrong type before it reaches the depth inside: the depth is said first.
    [Theory]
    [InlineData("a", 70)]
    [InlineData("a", 300)]
    [InlineData("description", 70)]
    public void Compile_OverDeepNestingInsideAnUnknownOrWrongTypedField_SaysTheLimit_NotTheField(string field, int levels)
    {
        var json = $$"""{ "rate": 1, "scenarios": [ { "name": "payment" } ], "{{field}}": """ + new string('[', levels) + new string(']', levels) + "}";

        var ex = Assert.Throws<PlanException>(() => PlanCompiler.Compile(json, "d.json"));

        Assert.StartsWith("plan d.json: $: nested deeper than the reader's limit of 64 levels at line 1, byte ", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Compile_AnUnknownFieldNestedWithinTheLimit_IsStillTheUnknownField()
    {
        var json = """{ "rate": 1, "scenarios": [ { "name": "payment" } ], "a": """ + new string('[', 10) + new string(']', 10) + "}";

        var ex = Assert.Throws<PlanException>(() => PlanCompiler.Compile(json, "d.json"));

        Assert.StartsWith("plan d.json: a: unknown field \"a\"", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"\"")]
    [InlineData("\"  \"")]
    public void Compile_AnEmptyName_IsRefused_AsTheNameRuleSays(string name)
    {
        var ex = Assert.Throws<PlanException>(() => PlanCompiler.Compile($$"""{ "name": {{name}}, "rate": 1, "scenarios": [ { "name": "payment" } ] }""", "n.json"));

        Assert.Equal("plan n.json: name: \"\" must be 1 to 64 letters, digits, '-' or '_'.", ex.Message);
        Assert.Equal("n", PlanCompiler.Compile("""{ "rate": 1, "scenarios": [ { "name": "payment" } ] }""", "n.json").Name);
    }

    [Theory]
    [InlineData("1.0", 1)]
    [InlineData("7.000", 7)]
    [InlineData("0.0", 0)]
    [InlineData("2147483647.0", 2147483647)]
    [InlineData("4e1", 40)]
    public void Compile_ASeedWithAZeroFraction_IsThatWholeNumber_AsTheSchemaCountsIt(string seed, int expected)
    {
        // JSON Schema 2020-12 counts 1.0 as an integer, so the schema's "seed": { "type": "integer" } lets an editor pass it.
        var plan = PlanCompiler.Compile($$"""{ "rate": 1, "scenarios": [ { "name": "payment" } ], "seed": {{seed}} }""", "t.json");

        Assert.Equal(expected, plan.Seed);
    }

    [Fact]
    public void Compile_OtherWholeNumberFieldsWithAZeroFraction_AreThoseWholeNumbers()
    {
        var plan = PlanCompiler.Compile("""
            { "rate": 1, "preboundCards": 3.0, "target": { "embedded": { "nodes": 2.0 } },
              "scenarios": [ { "name": "history", "maxConcurrency": 4.0, "load": [ { "kind": "iterations", "copies": 2.0, "count": 10.0 } ] } ] }
            """, "t.json");

        Assert.Equal(3, plan.PreboundCards);
        Assert.Equal(2, plan.Target.Embedded.Nodes);
        Assert.Equal(4, plan.Scenarios.Single().MaxConcurrency);
    }

    [Theory]
    [InlineData("""{ "rate": 1, "scenarios": [ { "name": "onboarding" } ] }""", 1)]
    [InlineData("""{ "rate": 1, "scenarios": [ { "name": "onboarding" } ], "client": { "smsTimeout": "2s" } }""", 1)]
    [InlineData("""{ "rate": 1, "scenarios": [ { "name": "onboarding" } ], "client": { "otpResends": 0 } }""", 0)]
    [InlineData("""{ "rate": 1, "scenarios": [ { "name": "onboarding" } ], "client": { "otpResends": 5 } }""", 5)]
    public void Compile_OtpResends_DefaultsToOneResendAndKeepsAnyValueFromZeroToFive(string json, int expected)
    {
        var plan = PlanCompiler.Compile(json, "t.json");

        Assert.Equal(expected, plan.Client.OtpResends);
    }

    [Theory]
    [InlineData("""{ "rate": 1, "scenarios": [ { "name": "payment" } ] }""", 0.0)]
    [InlineData("""{ "rate": 1, "scenarios": [ { "name": "payment" } ], "client": { "paymentRetries": 2 } }""", 0.0)]
    [InlineData("""{ "rate": 1, "scenarios": [ { "name": "payment" } ], "client": { "doubleTap": 0 } }""", 0.0)]
    [InlineData("""{ "rate": 1, "scenarios": [ { "name": "payment" } ], "client": { "doubleTap": 0.35 } }""", 0.35)]
    [InlineData("""{ "rate": 1, "scenarios": [ { "name": "payment" } ], "client": { "doubleTap": 1 } }""", 1.0)]
    public void Compile_DoubleTap_DefaultsToNoneAndKeepsAnyShareFromZeroToOne(string json, double expected)
    {
        var plan = PlanCompiler.Compile(json, "t.json");

        Assert.Equal(expected, plan.Client.DoubleTap);
    }

    [Fact]
    public void Compile_AClaimOnTheSecondTapStep_IsAccepted()
    {
        var plan = PlanCompiler.Compile("""{ "rate": 1, "scenarios": [ { "name": "payment" } ], "client": { "doubleTap": 0.5 }, "claims": [ "step:pay_tap2 p99 < 2s" ] }""", "t.json");

        Assert.Equal("step:pay_tap2 p99", Assert.Single(plan.Claims).Name);
    }

    [Fact]
    public void Compile_AClaimOnTheResendFiguresOrStep_IsAccepted()
    {
        const string json = """{ "rate": 1, "scenarios": [ { "name": "onboarding" } ], "claims": [ "bind_resends <= 10", "bind_bound_after_resend >= 1", "step:bind_resend p99 < 1s" ] }""";

        var plan = PlanCompiler.Compile(json, "t.json");

        Assert.Equal(3, plan.Claims.Count);
    }

    [Fact]
    public void Compile_AFaultRuleTheFaultEngineRefuses_IsRefusedBeforeAnythingStarts()
    {
        const string json = """{ "rate": 1, "scenarios": [ { "name": "payment" } ], "faults": [ { "name": "x", "node": "issuer-9", "method": "Authorize", "latency": "5ms" } ] }""";
        var ex = Assert.Throws<PlanException>(() => PlanCompiler.Compile(json, "bad.json"));

        Assert.Contains("faults[0]", ex.Message, StringComparison.Ordinal);
        Assert.Contains("issuer-9", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Compile_AFaultRuleWithSeveralProblems_NamesEachOfThem()
    {
        const string json = """{ "rate": 1, "scenarios": [ { "name": "payment" } ], "faults": [ { "name": "x", "node": "issuer-9", "method": "Authorize", "latency": "5ms", "probability": 7 } ] }""";
        var ex = Assert.Throws<PlanException>(() => PlanCompiler.Compile(json, "bad.json"));

        Assert.Contains("issuer-9", ex.Message, StringComparison.Ordinal);
        Assert.Contains("probability", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("more)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Compile_AFaultWindowOnlyTheDurationFlagMakesTooLong_NamesThePlansValueTheScaledOneAndTheLongestDurationThatFits()
    {
        // The plan runs 60 s with a 30 s fault window: at --duration 40h the window is 20h (fits the engine's 24h), at
        // 100h it is 50h, and 48h is the longest run whose window fits.
        const string json = """{ "duration": "60s", "rate": 1, "scenarios": [ { "name": "payment" } ], "faults": [ { "name": "slow", "node": "issuer-1", "method": "Authorize", "latency": "50ms", "start": "20s", "duration": "30s", "ramp": { "over": "8s" } } ] }""";

        Assert.Equal(TimeSpan.FromHours(20), PlanCompiler.Compile(json, "p.json", new PlanOverrides { Duration = TimeSpan.FromHours(40) }).Faults.Single().Duration);
        Assert.Equal(TimeSpan.FromHours(24), PlanCompiler.Compile(json, "p.json", new PlanOverrides { Duration = TimeSpan.FromHours(48) }).Faults.Single().Duration);
        var ex = Assert.Throws<PlanException>(() => PlanCompiler.Compile(json, "p.json", new PlanOverrides { Duration = TimeSpan.FromHours(100) }));

        Assert.Equal("plan p.json: faults[0].duration: the plan's 30s, scaled with --duration to 50h, is more than the fault engine's limit of 24h; give a --duration of at most 48h.", ex.Message);
    }

    [Theory]
    [InlineData("30s", 30_000)]
    [InlineData("2m", 120_000)]
    [InlineData("500ms", 500)]
    [InlineData("1m30s", 90_000)]
    [InlineData("1.5s", 1_500)]
    public void DurationText_ReadsTheUnitsPeopleWrite(string text, double ms)
    {
        Assert.True(DurationText.TryParse(text, out var value));
        Assert.Equal(ms, value.TotalMilliseconds, 9);
    }

    [Theory]
    [InlineData("30")]
    [InlineData("s")]
    [InlineData("3 s")]
    [InlineData("10sec")]
    public void DurationText_RefusesAnythingElse(string text) => Assert.False(DurationText.TryParse(text, out _));

    [Fact]
    public void Compile_WithExternalTargetFromTheCommandLine_RefusesWalletMode()
    {
        var ex = Assert.Throws<PlanException>(() => PlanCompiler.Compile(Minimal, "t.json", new PlanOverrides
        {
            WalletUrls = [new Uri("http://127.0.0.1:7300")],
            SimulatorUrl = new Uri("http://127.0.0.1:7000"),
            WalletMode = "naive",
        }));

        Assert.StartsWith("--wallet-mode", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Compile_ScenarioWithExplicitSteps_KeepsThemAndScalesTheirRatesWithRate()
    {
        var (json, source) = PlanCatalog.Resolve("capacity");
        var plan = PlanCompiler.Compile(json, source, new PlanOverrides { Rate = 400 });

        Assert.Equal([10, 25, 50, 100, 200, 400], plan.Scenarios.Single().Load.Select(l => l.RatePerSecond));
        Assert.All(plan.Scenarios.Single().Load, l => Assert.Equal(LoadSimulationKind.Inject, l.Kind));
    }
}
