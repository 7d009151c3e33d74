using PaySim.LoadTests.Cli;
using PaySim.LoadTests.Plans;

namespace PaySim.LoadTests.Tests.Cli;

/// <summary>Absurd load is refused up front: exit 2, one line naming the field, nothing written.</summary>
public sealed class LoadLimitsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("paysim-limits-").FullName;

    [Theory]
    [InlineData(new[] { "--rate", "1e9" }, "--rate: a peak of 1000000000 iterations per second is more than one process schedules (at most 50000); lower it, or it is far more than --shard's 1000 processes carry.")]
    [InlineData(new[] { "--rate", "60000" }, "--rate: a peak of 60000 iterations per second is more than one process schedules (at most 50000); lower it, or split it with --shard i/n over at least 2 processes.")]
    [InlineData(new[] { "--rate", "1e300" }, "--rate: a peak of 1e300 iterations per second is more than one process schedules (at most 50000); lower it, or it is far more than --shard's 1000 processes carry.")]
    [InlineData(new[] { "--duration", "169h" }, "--duration: 169h is longer than the limit of 7 days (168h); split a longer soak into runs.")]
    [InlineData(new[] { "--duration", "8761h" }, "--duration: \"8761h\" is more than the limit of 168h.")]
    [InlineData(new[] { "--settle", "8761h" }, "--settle: \"8761h\" is more than the limit of 10m.")]
    [InlineData(new[] { "--plan", "sms-outage", "--duration", "1ms" }, "--duration: 1ms is too short for plan sms-outage: it scales the plan's ")]
    [InlineData(new[] { "--duration", "-5s" }, "--duration: \"-5s\" is negative; expected a number with a unit ms, s, m or h, e.g. \"250ms\", \"30s\", \"1.5s\", \"2m\", \"1h\", or several units largest first, each once, e.g. \"1h30m\", \"1m30s\".")]
    [InlineData(new[] { "--duration", "1h1h" }, "--duration: \"1h1h\" is not a duration; expected a number with a unit ms, s, m or h, e.g. \"250ms\", \"30s\", \"1.5s\", \"2m\", \"1h\", or several units largest first, each once, e.g. \"1h30m\", \"1m30s\".")]
    [InlineData(new[] { "--settle", "1s1m" }, "--settle: \"1s1m\" is not a duration; expected a number with a unit ms, s, m or h, e.g. \"250ms\", \"30s\", \"1.5s\", \"2m\", \"1h\", or several units largest first, each once, e.g. \"1h30m\", \"1m30s\".")]
    [InlineData(new[] { "--duration", " 9s" }, "--duration: \" 9s\" is not a duration; expected a number with a unit ms, s, m or h, e.g. \"250ms\", \"30s\", \"1.5s\", \"2m\", \"1h\", or several units largest first, each once, e.g. \"1h30m\", \"1m30s\".")]
    [InlineData(new[] { "--duration", "9s " }, "--duration: \"9s \" is not a duration; expected a number with a unit ms, s, m or h, e.g. \"250ms\", \"30s\", \"1.5s\", \"2m\", \"1h\", or several units largest first, each once, e.g. \"1h30m\", \"1m30s\".")]
    [InlineData(new[] { "--settle", " 9s" }, "--settle: \" 9s\" is not a duration; expected a number with a unit ms, s, m or h, e.g. \"250ms\", \"30s\", \"1.5s\", \"2m\", \"1h\", or several units largest first, each once, e.g. \"1h30m\", \"1m30s\".")]
    [InlineData(new[] { "--duration", "0.0001ms" }, "--duration: \"0.0001ms\" must be more than 0 (it rounds to 0; the smallest duration is 0.001ms).")]
    [InlineData(new[] { "--duration", "0s" }, "--duration: \"0s\" must be more than 0.")]
    [InlineData(new[] { "--seed", "-1" }, "--seed: -1 is negative; a seed is a whole number from 0 to 2147483647.")]
    [InlineData(new[] { "--seed", "99999999999" }, "--seed: \"99999999999\" is more than 2147483647; a seed is a whole number from 0 to 2147483647.")]
    [InlineData(new[] { "--seed", "-99999999999" }, "--seed: \"-99999999999\" is negative; a seed is a whole number from 0 to 2147483647.")]
    [InlineData(new[] { "--seed", "4x" }, "--seed: \"4x\" is not a whole number.")]
    public async Task An_absurd_flag_is_refused_before_the_run(string[] flags, string expected)
    {
        var (code, _, err) = await CliRunner.RunAsync(["run", "--no-progress", "--report-dir", Path.Combine(_dir, "r"), .. flags]);

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.StartsWith("error: " + expected, Assert.Single(Lines(err)), StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_dir, "r")));
    }

    [Theory]
    [InlineData("2147483647", 2147483647)]
    [InlineData("0", 0)]
    [InlineData("+7", 7)]
    public void A_seed_from_0_to_the_ints_end_is_read(string text, int expected) =>
        Assert.Equal(expected, LoadLimits.ParseSeed(text, "--seed"));

    [Fact]
    public async Task A_sharded_run_is_checked_for_its_own_share()
    {
        var plan = await PlanAsync("""{ "rate": 90000, "scenarios": [ { "name": "history" } ] }""");

        var one = Compile(plan, new PlanOverrides());
        var two = PlanCompiler.Compile(await File.ReadAllTextAsync(plan), "p", new PlanOverrides { Shards = 2 });

        Assert.Contains("a peak of 90000 iterations per second", one, StringComparison.Ordinal);
        Assert.Equal(90000, two.Rate);
    }

    [Theory]
    [InlineData("""{ "rate": 1e308, "scenarios": [ { "name": "payment" } ] }""", "plan p: rate: a peak of 1e308 iterations per second")]
    [InlineData("""{ "scenarios": [ { "name": "payment", "load": [ { "kind": "inject", "rate": 1e9, "during": "10s" } ] } ] }""", "plan p: scenarios[].load[].rate: a peak of 1000000000 iterations per second")]
    [InlineData("""{ "scenarios": [ { "name": "payment", "load": [ { "kind": "inject", "rate": 1000, "interval": "10ms", "during": "10s" } ] } ] }""", "plan p: scenarios[].load[].rate: a peak of 100000 iterations per second is more than one process schedules (at most 50000); lower it, or split it with --shard i/n over at least 2 processes.")]
    [InlineData("""{ "rate": 1000, "scenarios": [ { "name": "payment", "maxConcurrency": 1 } ] }""", "plan p: scenarios[0].maxConcurrency: 1 cannot carry 1000 iterations per second unless every iteration takes under 1 ms; set it to at least 10 (room for 10 ms per iteration).")]
    [InlineData("""{ "scenarios": [ { "name": "payment", "load": [ { "kind": "keepConstant", "copies": 200000, "during": "10s" } ] } ] }""", "plan p: scenarios[0].load[0].copies: 200000 is more than one process holds (at most 100000)")]
    [InlineData("""{ "duration": "720h", "rate": 1, "scenarios": [ { "name": "payment" } ] }""", "plan p: duration: 720h is longer than the limit of 7 days")]
    [InlineData("""{ "seed": -5, "rate": 1, "scenarios": [ { "name": "payment" } ] }""", "plan p: seed: -5 is negative")]
    public async Task An_absurd_plan_is_refused_naming_the_field(string json, string expected)
    {
        var message = Compile(await PlanAsync(json), new PlanOverrides());

        Assert.StartsWith(expected, message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', message);
    }

    [Fact]
    public async Task A_plan_with_a_duplicate_key_is_refused_naming_it()
    {
        var message = Compile(await PlanAsync("""{ "rate": 2, "scenarios": [ { "name": "payment" } ], "rate": 2000 }"""), new PlanOverrides());

        Assert.Equal("plan p: rate: given twice (a duplicate field); give each field once.", message);
    }

    [Fact]
    public async Task A_rate_at_the_limit_with_room_enough_compiles()
    {
        var plan = PlanCompiler.Compile(await File.ReadAllTextAsync(await PlanAsync(
            """{ "rate": 50000, "duration": "168h", "seed": 0, "scenarios": [ { "name": "payment", "maxConcurrency": 500 } ] }""")), "p");

        Assert.Equal(50000, plan.Rate);
        Assert.Equal(TimeSpan.FromDays(7), plan.Duration);
    }

    [Fact]
    public void Every_shipped_plan_is_inside_the_limits()
    {
        foreach (var (name, file) in PlanCatalog.List())
        {
            var plan = PlanCompiler.Compile(File.ReadAllText(file), name);
            Assert.True(plan.Scenarios.Count > 0, name);
        }
    }

    [Fact]
    public async Task A_bad_plan_through_the_cli_is_one_line_and_writes_nothing()
    {
        var plan = await PlanAsync("""{ "rate": 1000, "scenarios": [ { "name": "payment", "maxConcurrency": 1 } ] }""");

        var (code, _, err) = await CliRunner.RunAsync("run", "--plan", plan, "--no-progress", "--report-dir", Path.Combine(_dir, "r"));

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("maxConcurrency: 1 cannot carry 1000", Assert.Single(Lines(err)), StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_dir, "r")));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Compile(string path, PlanOverrides overrides) =>
        Assert.Throws<PlanException>(() => PlanCompiler.Compile(File.ReadAllText(path), "p", overrides)).Message;

    private async Task<string> PlanAsync(string json)
    {
        var path = Path.Combine(_dir, $"plan-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(path, json);
        return path;
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
