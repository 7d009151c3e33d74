using PaySim.LoadTests.Plans;

namespace PaySim.LoadTests.Tests.Plans;

/// <summary>nodeEvents naming wallet instances, the external target's wallet hooks and the settle window.</summary>
public sealed class WalletEventCompilerTests
{
    private const string Crash = """
        { "duration": "30s", "rate": 5, "scenarios": [ { "name": "payment" } ],
          "nodeEvents": [ { "wallet": "wallet-2", "state": "crash", "start": "10s", "duration": "10s" },
                          { "wallet": "wallet-1", "state": "freeze", "start": "25s", "duration": "1s" } ] }
        """;

    private static readonly Uri WalletUrl = new("http://127.0.0.1:7300");
    private static readonly Uri SimulatorUrl = new("http://127.0.0.1:7000");

    [Fact]
    public void Compile_WalletCrashAndFreeze_AreWalletEventsScaledWithTheRun()
    {
        var plan = PlanCompiler.Compile(Crash, "t.json", new PlanOverrides { Duration = TimeSpan.FromSeconds(15) });

        Assert.All(plan.NodeEvents, e => Assert.True(e.IsWallet));
        Assert.Equal(new NodeEvent("wallet-2", NodeEventState.Crash, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5)), plan.NodeEvents[0]);
        Assert.Equal(NodeEventState.Freeze, plan.NodeEvents[1].State);
        Assert.Equal(TimeSpan.FromMilliseconds(500), plan.NodeEvents[1].Duration);
    }

    [Theory]
    [InlineData("""{ "wallet": "wallet-3", "state": "crash" }""", "nodeEvents[0].wallet", "allowed: wallet-1, wallet-2")]
    [InlineData("""{ "wallet": "wallet-2", "state": "down" }""", "nodeEvents[0].state", "allowed: crash, freeze")]
    [InlineData("""{ "node": "issuer-2", "state": "crash" }""", "nodeEvents[0].state", "for wallet instances")]
    [InlineData("""{ "node": "issuer-2", "wallet": "wallet-2", "state": "crash" }""", "nodeEvents[0]", "not both")]
    [InlineData("""{ "state": "crash" }""", "nodeEvents[0].node", "required")]
    [InlineData("""{ "wallet": "wallet 2; rm -rf /", "state": "crash" }""", "nodeEvents[0].wallet", "letters, digits")]
    [InlineData("""{ "wallet": "wallet-2", "state": "freeze", "duration": "0s" }""", "nodeEvents[0].duration", "> 0")]
    public void Compile_BadWalletEvent_IsRefusedWithOneLineNamingTheField(string ev, string field, string hint)
    {
        var json = $$"""{ "rate": 1, "scenarios": [ { "name": "payment" } ], "nodeEvents": [ {{ev}} ] }""";

        var ex = Assert.Throws<PlanException>(() => PlanCompiler.Compile(json, "bad.json"));

        Assert.DoesNotContain('\n', ex.Message);
        Assert.Contains(field, ex.Message, StringComparison.Ordinal);
        Assert.Contains(hint, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("freeze,thaw", "\"crash\" hook")]
    [InlineData("crash,freeze,thaw", "\"restart\" hook")]
    [InlineData("crash,restart,freeze", "\"thaw\" hook")]
    public void Compile_WalletEventsOnAnExternalTargetWithoutTheirHooks_AreRefusedNamingTheMissingHook(string given, string missing)
    {
        var hooks = given.Split(',').ToDictionary(h => h, h => $"echo {h} {{instance}}");

        var ex = Assert.Throws<PlanException>(() => PlanCompiler.Compile(Crash, "t.json", External(hooks)));

        Assert.Contains(missing, ex.Message, StringComparison.Ordinal);
        Assert.Contains("--wallet-hook", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Compile_ExternalTarget_TakesThePlansHooksAndTheFlagsOverThem()
    {
        const string json = """
            { "rate": 1, "scenarios": [ { "name": "payment" } ],
              "target": { "external": { "walletUrls": ["http://127.0.0.1:7300"], "simulatorUrl": "http://127.0.0.1:7000",
                                        "hooks": { "crash": "docker kill {instance}", "restart": "docker start {instance}" } } },
              "nodeEvents": [ { "wallet": "wallet-b", "state": "crash", "start": "1s", "duration": "2s" } ] }
            """;

        var plan = PlanCompiler.Compile(json, "t.json", new PlanOverrides { WalletHooks = WalletHooks.ParseFlags(["restart=docker restart {instance}"]) });

        var hooks = plan.Target.External!.Hooks;
        Assert.Equal("docker kill {instance}", hooks["crash"]);
        Assert.Equal("docker restart {instance}", hooks["restart"]);
        Assert.Equal("docker restart wallet-b", WalletHooks.Render(hooks["restart"], plan.NodeEvents.Single().Node));
    }

    [Theory]
    [InlineData("crash", "NAME=COMMAND")]
    [InlineData("explode=kill -9 1", "crash, restart, freeze, thaw")]
    [InlineData("crash=  ", "needs a command")]
    public void ParseFlags_BadWalletHook_IsRefusedNamingTheFlag(string flag, string hint)
    {
        var ex = Assert.Throws<PlanException>(() => WalletHooks.ParseFlags([flag]));

        Assert.StartsWith("--wallet-hook", ex.Message, StringComparison.Ordinal);
        Assert.Contains(hint, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseFlags_TheSameHookTwice_IsRefused()
    {
        var ex = Assert.Throws<PlanException>(() => WalletHooks.ParseFlags(["crash=a", "crash=b"]));

        Assert.Contains("given twice", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Compile_AnUnknownHookInThePlan_IsRefusedWithTheAllowedNames()
    {
        const string json = """{ "rate": 1, "scenarios": [ { "name": "payment" } ], "target": { "external": { "walletUrls": ["http://127.0.0.1:7300"], "simulatorUrl": "http://127.0.0.1:7000", "hooks": { "reboot": "x" } } } }""";

        var ex = Assert.Throws<PlanException>(() => PlanCompiler.Compile(json, "t.json"));

        Assert.Contains("target.external.hooks.reboot", ex.Message, StringComparison.Ordinal);
        Assert.Contains("crash, restart, freeze, thaw", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Compile_WalletHooksWithTheEmbeddedTarget_AreRefused()
    {
        var ex = Assert.Throws<PlanException>(() => PlanCompiler.Compile(Crash, "t.json", new PlanOverrides { WalletHooks = new Dictionary<string, string> { ["crash"] = "x" } }));

        Assert.StartsWith("--wallet-hook: applies to an external target only", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, null, 30_000)]
    [InlineData("\"25s\"", null, 25_000)]
    [InlineData("\"25s\"", 3_000, 3_000)]
    [InlineData("\"0s\"", null, 0)]
    public void Compile_Settle_DefaultsToThirtySecondsIsNotScaledAndTheFlagWins(string? planSettle, int? flagMs, int expectedMs)
    {
        var json = $$"""{ "duration": "60s", "rate": 1, "scenarios": [ { "name": "payment" } ] {{(planSettle is null ? string.Empty : $", \"settle\": {planSettle}")}} }""";

        var plan = PlanCompiler.Compile(json, "t.json", new PlanOverrides { Duration = TimeSpan.FromSeconds(6), Settle = flagMs is { } ms ? TimeSpan.FromMilliseconds(ms) : null });

        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), plan.Settle);
    }

    [Theory]
    [InlineData("\"11m\"", "settle: must be at most 10m")]
    [InlineData("\"soon\"", "settle: \"soon\" is not a duration")]
    public void Compile_BadSettle_IsRefusedNamingTheField(string settle, string hint)
    {
        var json = $$"""{ "rate": 1, "scenarios": [ { "name": "payment" } ], "settle": {{settle}} }""";

        var ex = Assert.Throws<PlanException>(() => PlanCompiler.Compile(json, "bad.json"));

        Assert.Contains(hint, ex.Message, StringComparison.Ordinal);
    }

    private static PlanOverrides External(IReadOnlyDictionary<string, string> hooks) =>
        new() { WalletUrls = [WalletUrl], SimulatorUrl = SimulatorUrl, WalletHooks = hooks };
}
