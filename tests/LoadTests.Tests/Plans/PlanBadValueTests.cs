using PaySim.LoadTests.Plans;

namespace PaySim.LoadTests.Tests.Plans;

/// <summary>Values a plan can write that mean nothing: a null where an object or a list is needed, a phase field its kind never reads, a negative threshold.</summary>
public sealed class PlanBadValueTests
{
    [Theory]
    [InlineData("""{"scenarios":[{"name":"payment","weight":1}],"rate":2,"faults":[null]}""", "plan p.json: faults[0]: must be an object, got null.")]
    [InlineData("""{"scenarios":[null],"rate":2}""", "plan p.json: scenarios[0]: must be an object, got null.")]
    [InlineData("""{"scenarios":[{"name":"payment","weight":1}],"rate":2,"nodeEvents":[null]}""", "plan p.json: nodeEvents[0]: must be an object, got null.")]
    [InlineData("""{"scenarios":[{"name":"journey","weight":1,"load":[null]}],"rate":2}""", "plan p.json: scenarios[0].load[0]: must be an object, got null.")]
    [InlineData("""{"scenarios":[{"name":"payment","weight":1}],"rate":2,"claims":["success_rate >= 99%",null]}""", "plan p.json: claims[1]: must be a claim text or an object, got null.")]
    [InlineData("""{"scenarios":[{"name":"payment","weight":1}],"rate":2,"catches":[null]}""", "plan p.json: catches[0]: must be a string or an object, got null.")]
    [InlineData("""{"scenarios":[{"name":"payment","weight":1}],"rate":2,"target":{"external":{"walletUrls":[null],"simulatorUrl":"http://localhost:7000"}}}""", "plan p.json: target.external.walletUrls[0]: must be a string, got null.")]
    [InlineData("""{"scenarios":[{"name":"payment","weight":1}],"rate":2,"claims":null}""", "plan p.json: claims: must be an array of claim texts or objects, got null; leave the field out for its default.")]
    [InlineData("""{"scenarios":null,"rate":2}""", "plan p.json: scenarios: must be an array of objects, got null; leave the field out for its default.")]
    public void Null_WhereAValueIsNeeded_IsOneLineNamingTheElement(string json, string expected)
    {
        var ex = Assert.Throws<PlanException>(() => PlanCompiler.Compile(json, "p.json"));

        Assert.Equal(expected, ex.Message);
    }

    [Fact]
    public void EmptyClaims_AreAllowed_AsAPlanWithoutClaims()
    {
        var plan = PlanCompiler.Compile("""{"scenarios":[{"name":"payment","weight":1}],"rate":2,"claims":[]}""", "p.json");

        Assert.Empty(plan.Claims);
    }

    [Theory]
    [InlineData("""{"kind":"iterations","copies":0,"count":5}""", "scenarios[0].load[0].copies: required for iterations, a whole number >= 1, got 0.")]
    [InlineData("""{"kind":"iterations","copies":-3,"count":5}""", "scenarios[0].load[0].copies: required for iterations, a whole number >= 1, got -3.")]
    [InlineData("""{"kind":"inject","rate":2,"during":"5s","copies":4}""", "scenarios[0].load[0].copies: not read by inject phases (they take rate, interval, during); copies is only for keepConstant, rampingConstant, iterations phases.")]
    [InlineData("""{"kind":"pause","during":"5s","rate":3}""", "scenarios[0].load[0].rate: not read by pause phases")]
    [InlineData("""{"kind":"keepConstant","copies":2,"during":"5s","count":9}""", "scenarios[0].load[0].count: not read by keepConstant phases")]
    [InlineData("""{"kind":"inject","rate":5,"interval":"0s","during":"10s"}""", "scenarios[0].load[0].interval: must be more than 0.")]
    [InlineData("""{"kind":"inject","rate":5,"during":"0s"}""", "scenarios[0].load[0].during: must be more than 0.")]
    [InlineData("""{"kind":"pause","during":"0ms"}""", "scenarios[0].load[0].during: must be more than 0.")]
    [InlineData("""{"kind":"injectRandom","rate":5,"maxRate":1,"during":"10s"}""", "scenarios[0].load[0].maxRate: must be at least rate (5), got 1.")]
    [InlineData("""{"kind":"inject","rate":1,"during":"1h"}""", "scenarios[0].load: the phases add up to 1h, longer than the plan's duration (1m); the run lasts its duration: shorten the phases or raise \"duration\".")]
    public void LoadPhase_ThatTheEngineWouldRefuseOrThatRunsPastTheDuration_IsRefusedWithItsField_DryRunToo(string phase, string expected)
    {
        var json = $$"""{"scenarios":[{"name":"payment","weight":1,"load":[{{phase}}]}]}""";

        var ex = Assert.Throws<PlanException>(() => PlanCompiler.Compile(json, "p.json"));

        Assert.StartsWith($"plan p.json: {expected}", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadPhases_ThatFillTheDurationExactly_AreAccepted()
    {
        const string json = """{"duration":"20s","scenarios":[{"name":"payment","weight":1,"load":[{"kind":"inject","rate":2,"during":"15s"},{"kind":"pause","during":"5s"}]}]}""";

        var plan = PlanCompiler.Compile(json, "p.json");

        Assert.Equal(TimeSpan.FromSeconds(20), plan.Scenarios[0].Load.Aggregate(TimeSpan.Zero, (sum, l) => sum + l.During));
    }

    [Theory]
    [InlineData("step:pay p99 < -1s", "-1s is negative; a duration threshold must be >= 0.")]
    [InlineData("success_rate >= -5%", "-5% is negative; a percentage threshold must be >= 0.")]
    [InlineData("scenario:payment p50 < -3ms", "-3ms is negative; a duration threshold must be >= 0.")]
    public void Claim_WithANegativeDurationOrPercentage_IsRefused(string claim, string expected)
    {
        var json = $$"""{"scenarios":[{"name":"payment","weight":1}],"rate":2,"claims":["{{claim}}"]}""";

        var ex = Assert.Throws<PlanException>(() => PlanCompiler.Compile(json, "p.json"));

        Assert.StartsWith("plan p.json: claims[0]: ", ex.Message, StringComparison.Ordinal);
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("success_rate >= 200%", "claims[0]: 200% in \"success_rate >= 200%\" is more than 100%; a share is 0% to 100%.")]
    [InlineData("success_rate >= 1e309", "claims[0]: 1e309 in \"success_rate >= 1e309\" is not a finite number.")]
    [InlineData("fault_p99_ms[0] < 2s", "claims[0]: \"fault_p99_ms[0] < 2s\" names fault window 0; the plan's windows are 1..2 (its faults, then its nodeEvents, in order).")]
    [InlineData("fault_p99_ms[3] < 2s", "claims[0]: \"fault_p99_ms[3] < 2s\" names fault window 3; the plan's windows are 1..2")]
    [InlineData("fault_p99_ms[99999999999] < 2s", "claims[0]: \"fault_p99_ms[99999999999] < 2s\" names fault window 99999999999; the plan's windows are 1..2")]
    public void Claim_ThatNoRunCouldJudge_IsRefused(string claim, string expected)
    {
        var json = $$$"""{"duration":"20s","scenarios":[{"name":"payment","weight":1}],"rate":2,"target":{"embedded":{"nodes":2}},"faults":[{"name":"slow","node":"issuer-1","latency":"50ms","start":"2s","duration":"5s"}],"nodeEvents":[{"node":"issuer-2","state":"down","start":"10s","duration":"5s"}],"claims":["{{{claim}}}"]}""";

        var ex = Assert.Throws<PlanException>(() => PlanCompiler.Compile(json, "p.json"));

        Assert.StartsWith($"plan p.json: {expected}", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("excess_charges < 1s", "\"excess_charges < 1s\": \"excess_charges\" is a plain count; write it without a unit.")]
    [InlineData("duplicate_charges < 1m", "\"duplicate_charges < 1m\": \"duplicate_charges\" is a plain count; write it without a unit.")]
    [InlineData("bind_failures[phone_mismatch] <= 5%", "\"bind_failures[phone_mismatch] <= 5%\": \"bind_failures\" is a plain count; write it without a unit.")]
    [InlineData("success_rate >= 95", "\"success_rate >= 95\": \"success_rate\" is a share; write a percent such as 99% or a fraction between 0 and 1.")]
    [InlineData("issuer_max_node_share <= 30", "\"issuer_max_node_share <= 30\": \"issuer_max_node_share\" is a share; write a percent")]
    [InlineData("issuer_node_share[issuer-1] <= 20", "\"issuer_node_share[issuer-1] <= 20\": \"issuer_node_share\" is a share; write a percent")]
    [InlineData("wallet_max_node_share <= 2s", "\"wallet_max_node_share <= 2s\": \"wallet_max_node_share\" is a share; write a percent")]
    [InlineData("success_rate >= -0.05", "\"success_rate >= -0.05\": \"success_rate\" is a share; write a percent")]
    [InlineData("recovery_ms <= 5%", "\"recovery_ms <= 5%\": \"recovery_ms\" is a time; write one such as 250ms or 3s (no unit means ms).")]
    [InlineData("rps >= 10s", "\"rps >= 10s\": \"rps\" is a plain number; write it without a unit.")]
    [InlineData("money_conserved >= 1", "\"money_conserved >= 1\": \"money_conserved\" is yes or no; write \"money_conserved == true\" or \"money_conserved == false\".")]
    [InlineData("money_conserved == 2", "\"money_conserved == 2\": \"money_conserved\" is yes or no;")]
    [InlineData("success_rate <= 100%", "\"success_rate <= 100%\" always passes: \"success_rate\" is 0% to 100%; give a bound inside that.")]
    [InlineData("success_rate >= 0%", "\"success_rate >= 0%\" always passes: \"success_rate\" is 0% to 100%")]
    [InlineData("success_rate > 100%", "\"success_rate > 100%\" can never pass: \"success_rate\" is 0% to 100%")]
    [InlineData("dropped >= 0", "\"dropped >= 0\" always passes: \"dropped\" is a whole number, 0 or more; give a bound inside that.")]
    [InlineData("excess_charges < 0", "\"excess_charges < 0\" can never pass: \"excess_charges\" is a whole number, 0 or more")]
    [InlineData("recovery_ms <= -1", "\"recovery_ms <= -1\" can never pass: \"recovery_ms\" is 0 or more")]
    [InlineData("lost_payments != -1", "\"lost_payments != -1\" always passes: \"lost_payments\" is a whole number, 0 or more")]
    [InlineData("excess_charges == 0.5", "\"excess_charges == 0.5\" can never pass: \"excess_charges\" is a whole number, 0 or more")]
    [InlineData("duplicate_charges != 1.5", "\"duplicate_charges != 1.5\" always passes: \"duplicate_charges\" is a whole number, 0 or more")]
    [InlineData("issuer_jain_fairness <= 1", "\"issuer_jain_fairness <= 1\" always passes: \"issuer_jain_fairness\" is 0 to 1")]
    [InlineData("wallet_jain_fairness > 1", "\"wallet_jain_fairness > 1\" can never pass: \"wallet_jain_fairness\" is 0 to 1")]
    [InlineData("jain_fairness >= 95", "\"jain_fairness >= 95\": \"jain_fairness\" is an index between 0 and 1; write a fraction such as 0.95 (or a percent).")]
    [InlineData("scenario:payment dropped >= 0", "threshold \"dropped >= 0\" always passes: \"dropped\" is a whole number, 0 or more")]
    [InlineData("step:pay ok_rate <= 100%", "threshold \"step:pay ok_rate <= 100%\" always passes: \"ok_rate\" is 0% to 100%")]
    [InlineData("step:pay fail >= 0", "threshold \"step:pay fail >= 0\" always passes: \"fail\" is a whole number, 0 or more")]
    [InlineData("step:pay p99 >= 0ms", "threshold \"step:pay p99 >= 0ms\" always passes: \"p99\" is 0 or more")]
    public void RunWideClaim_NotInItsFiguresUnitOrThatCannotGoEitherWay_IsRefused(string claim, string expected)
    {
        var json = $$"""{"scenarios":[{"name":"payment","weight":1}],"rate":2,"faults":[{"name":"slow","node":"issuer-1","latency":"50ms","start":"2s","duration":"5s"}],"claims":["{{claim.Replace("\"", "\\\"", StringComparison.Ordinal)}}"]}""";

        var ex = Assert.Throws<PlanException>(() => PlanCompiler.Compile(json, "p.json"));

        Assert.StartsWith($"plan p.json: claims[0]: {expected}", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("success_rate >= 0.95")]
    [InlineData("success_rate >= 95%")]
    [InlineData("excess_charges == 0")]
    [InlineData("excess_charges <= 0")]
    [InlineData("recovery_ms <= 3000")]
    [InlineData("recovery_ms <= 3s")]
    [InlineData("money_conserved == true")]
    [InlineData("money_conserved != false")]
    [InlineData("memory_growth_mb >= -50")]
    [InlineData("wallet_jain_fairness >= 0.95")]
    [InlineData("issuer_jain_fairness >= 95%")]
    [InlineData("excess_charges <= 0.5")]
    [InlineData("step:pay p99 < 1s")]
    public void RunWideClaim_InItsFiguresUnit_IsAccepted(string claim)
    {
        var json = $$"""{"scenarios":[{"name":"payment","weight":1}],"rate":2,"faults":[{"name":"slow","node":"issuer-1","latency":"50ms","start":"2s","duration":"5s"}],"claims":["{{claim}}"]}""";

        var plan = PlanCompiler.Compile(json, "p.json");

        Assert.Equal(claim, Assert.Single(plan.Claims).Text);
    }

    [Theory]
    [InlineData("success_rate >= 95%", "success_rate >= 0.95")]
    [InlineData("success_rate >= 70%", "success_rate >= 0.7")]
    [InlineData("max_node_share <= 50%", "issuer_max_node_share <= 0.5")]
    [InlineData("jain_fairness >= 0.9", "issuer_jain_fairness >= 90%")]
    [InlineData("step:pay p99 < 1.1s", "step:pay p99 < 1100ms")]
    public void Claim_GivenTwice_AsAPercentAndAFraction_OrUnderItsOtherName_IsRefused(string first, string second)
    {
        var json = $$"""{"scenarios":[{"name":"payment","weight":1}],"rate":2,"claims":["{{first}}","{{second}}"]}""";

        var ex = Assert.Throws<PlanException>(() => PlanCompiler.Compile(json, "p.json"));

        Assert.Equal($"plan p.json: claims[1]: \"{second}\" says the same as claims[0] (\"{first}\"); give each claim once.", ex.Message);
    }

    [Fact]
    public void Claim_GivenTwice_IsRefusedNamingTheFirst()
    {
        const string json = """{"scenarios":[{"name":"payment","weight":1}],"rate":2,"claims":["excess_charges == 0","success_rate >= 99%",{"claim":"success_rate>=0.99"}]}""";

        var ex = Assert.Throws<PlanException>(() => PlanCompiler.Compile(json, "p.json"));

        Assert.Equal("plan p.json: claims[2].claim: \"success_rate>=0.99\" says the same as claims[1] (\"success_rate >= 99%\"); give each claim once.", ex.Message);
    }

    [Fact]
    public void Claim_OnTheLastFaultWindowAndAFullShare_IsAccepted()
    {
        const string json = """{"duration":"20s","scenarios":[{"name":"payment","weight":1}],"rate":2,"target":{"embedded":{"nodes":2}},"faults":[{"name":"slow","node":"issuer-1","latency":"50ms","start":"2s","duration":"5s"}],"nodeEvents":[{"node":"issuer-2","state":"down","start":"10s","duration":"5s"}],"claims":["fault_p99_ms[2] < 2s","success_rate >= 100%"]}""";

        Assert.Equal(2, PlanCompiler.Compile(json, "p.json").Claims.Count);
    }

    [Fact]
    public void ExternalTarget_WithCredentialsInAUrl_IsRefusedWithoutEchoingThem()
    {
        const string json = """{"scenarios":[{"name":"payment","weight":1}],"rate":2,"target":{"external":{"walletUrls":["http://localhost:7300"],"simulatorUrl":"http://admin:hunter2@localhost:7000"}}}""";

        var ex = Assert.Throws<PlanException>(() => PlanCompiler.Compile(json, "p.json"));

        Assert.Equal("plan p.json: target.external.simulatorUrl: a user name or password in the URL is not supported (it would be printed and written into the reports); give http://localhost:7000 without it.", ex.Message);
    }

    [Fact]
    public void ExternalTarget_WithAWalletUrlListedTwice_IsRefused()
    {
        const string json = """{"scenarios":[{"name":"payment","weight":1}],"rate":2,"target":{"external":{"walletUrls":["http://w:7300","http://w:7300/"],"simulatorUrl":"http://localhost:7000"}}}""";

        var ex = Assert.Throws<PlanException>(() => PlanCompiler.Compile(json, "p.json"));

        Assert.Equal("plan p.json: target.external.walletUrls[1]: http://w:7300/ given twice; each wallet instance is listed once.", ex.Message);
    }
}
