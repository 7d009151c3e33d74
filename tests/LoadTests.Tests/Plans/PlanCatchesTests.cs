using PaySim.LoadTests.Plans;

namespace PaySim.LoadTests.Tests.Plans;

/// <summary>
/// <c>"catches"</c>: each entry a defect name (any failed claim keeps the promise) or <c>{"defect", "by"}</c> naming the
/// plan's claims of which one must fail; a bad entry is one line naming its field and what is allowed.
/// </summary>
public sealed class PlanCatchesTests
{
    private const string Plan = """{"rate":2,"scenarios":[{"name":"payment","weight":1}],"claims":["success_rate >= 99%","excess_charges == 0","step:pay p99 < 2s"],"catches":CATCHES}""";

    [Fact]
    public void BothForms_Compile_ToTheDefectAndTheClaimsThatMustCatchIt()
    {
        var plan = PlanCompiler.Compile(With("""["no-failover", {"defect": "misread-approval", "by": ["excess_charges", "step:pay p99"]}]"""), "p.json");

        Assert.Equal(2, plan.Catches.Count);
        Assert.Equal(("no-failover", 0), (plan.Catches[0].Defect, plan.Catches[0].By.Count));
        Assert.Equal("misread-approval", plan.Catches[1].Defect);
        Assert.Equal(["excess_charges", "step:pay p99"], plan.Catches[1].By);
        Assert.Equal("misread-approval by excess_charges, step:pay p99", plan.Catches[1].ToString());
    }

    [Theory]
    [InlineData("""[{"defect": "no-failover", "by": ["recovery_ms"]}]""", "plan p.json: catches[0].by[0]: \"recovery_ms\" is not the metric of a claim of this plan; allowed: success_rate, excess_charges, step:pay p99.")]
    [InlineData("""["no-failover", {"defect": "misread-approval", "by": ["excess_charges", "step:pay"]}]""", "plan p.json: catches[1].by[1]: \"step:pay\" is not the metric of a claim of this plan; allowed: success_rate, excess_charges, step:pay p99.")]
    [InlineData("""[{"defect": "no-failover", "by": []}]""", "plan p.json: catches[0].by: must name at least one of this plan's claim metrics (write \"no-failover\" alone for any claim); allowed: success_rate, excess_charges, step:pay p99.")]
    [InlineData("""[{"defect": "no-failover"}]""", "plan p.json: catches[0].by: required: the claims of this plan of which one must fail with no-failover (write \"no-failover\" alone for any claim); allowed: success_rate, excess_charges, step:pay p99.")]
    [InlineData("""[{"defect": "no-failover", "by": "success_rate"}]""", "plan p.json: catches[0].by: must be an array of this plan's claim metrics, got \"success_rate\"; allowed: success_rate, excess_charges, step:pay p99.")]
    [InlineData("""[{"defect": "no-failover", "by": [3]}]""", "plan p.json: catches[0].by[0]: must be one of this plan's claim metrics (a string), got 3; allowed: success_rate, excess_charges, step:pay p99.")]
    [InlineData("""[{"defect": "no-failover", "by": [null]}]""", "plan p.json: catches[0].by[0]: must be one of this plan's claim metrics (a string), got null; allowed: success_rate, excess_charges, step:pay p99.")]
    [InlineData("""[{"defect": "no-failover", "by": ["success_rate", "success_rate"]}]""", "plan p.json: catches[0].by[1]: \"success_rate\" is listed twice.")]
    [InlineData("""[{"defect": "no-failover", "by": ["success_rate"], "because": "x"}]""", "plan p.json: catches[0].because: unknown field \"because\"; allowed: by, defect.")]
    [InlineData("""[{"by": ["success_rate"]}]""", "plan p.json: catches[0].defect: required: the planted defect this plan promises to fail on; allowed: no-failover, ")]
    [InlineData("""[{"defect": "no-failovr", "by": ["success_rate"]}]""", "plan p.json: catches[0].defect: \"no-failovr\" is not a planted defect; allowed: no-failover, ")]
    [InlineData("""[{"defect": null, "by": ["success_rate"]}]""", "plan p.json: catches[0].defect: must be a planted defect's name, got null; allowed: no-failover, ")]
    [InlineData("""["no-failover", {"defect": "no-failover", "by": ["success_rate"]}]""", "plan p.json: catches[1]: \"no-failover\" is listed twice.")]
    [InlineData("""[{"defect": "no-failover", "by": ["success_rate"]}, "no-failover"]""", "plan p.json: catches[1]: \"no-failover\" is listed twice.")]
    [InlineData("""["no-failovr"]""", "plan p.json: catches[0]: \"no-failovr\" is not a planted defect; allowed: no-failover, ")]
    [InlineData("""[7]""", "plan p.json: catches[0]: must be a planted defect's name, got 7; allowed: no-failover, ")]
    [InlineData("""[["no-failover"]]""", "plan p.json: catches[0]: must be a planted defect's name or an object {\"defect\": name, \"by\": [claim metrics]}, got an array.")]
    [InlineData("""[null]""", "plan p.json: catches[0]: must be a string or an object, got null.")]
    [InlineData("""null""", "plan p.json: catches: must be an array of strings or objects, got null; leave the field out for its default.")]
    public void ABadEntry_IsOneLineNamingItsFieldAndWhatIsAllowed(string catches, string expected)
    {
        var ex = Assert.Throws<PlanException>(() => PlanCompiler.Compile(With(catches), "p.json"));

        Assert.StartsWith(expected, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', ex.Message);
    }

    [Fact]
    public void APlanWithoutClaims_SaysItHasNoneToName()
    {
        var ex = Assert.Throws<PlanException>(() => PlanCompiler.Compile("""{"rate":2,"scenarios":[{"name":"payment","weight":1}],"claims":[],"catches":[{"defect":"no-failover","by":["success_rate"]}]}""", "p.json"));

        Assert.Equal("plan p.json: catches[0].by[0]: \"success_rate\" is not the metric of a claim of this plan; allowed: none (the plan has no claims).", ex.Message);
    }

    [Fact]
    public void EveryShippedPromise_NamesItsClaims_AndEachIsAClaimOfItsPlan()
    {
        foreach (var (name, file) in PlanCatalog.List())
        {
            var plan = PlanCompiler.Compile(File.ReadAllText(file), name);
            var claims = plan.Claims.Select(c => c.Name).ToArray();
            foreach (var promise in plan.Catches)
            {
                Assert.True(promise.By.Count > 0, $"{name}: catches {promise.Defect} without \"by\": name the claims that fail with it (docs/plans.md)");
                Assert.All(promise.By, metric => Assert.Contains(metric, claims));
            }
        }
    }

    private static string With(string catches) => Plan.Replace("CATCHES", catches, StringComparison.Ordinal);
}
