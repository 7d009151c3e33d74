using Grpc.Core;
using PaySim.Contracts.Control.V1;
using PaySim.Contracts.Issuer.V1;
using PaySim.Contracts.Sms.V1;
using PaySim.Simulator.Faults;
using PaySim.Simulator.Faults.Kinds;
using PaySim.Simulator.Faults.Rules;
using PaySim.Simulator.Tests.Architecture;
using PaySim.Simulator.Tests.Support;

namespace PaySim.Simulator.Tests.Faults.Kinds;

/// <summary>
/// What makes a kind a kind (CONTRIBUTING.md, "Add a fault kind"): every catalog entry parses from
/// its example, acts on a real gRPC call (or SMS, or node) of a running simulator, and has its row
/// in the Kinds table of docs/faults.md. A new kind that misses any of them fails here.
/// </summary>
public sealed class FaultKindCatalogTests
{
    private static readonly FaultRuleContext Context = FaultRuleContext.ForIssuers(1);

    public static TheoryData<string> Kinds => new(FaultKindCatalog.Names);

    [Fact]
    public void Catalog_HasEveryKindOnce_UnderNamesThatAreRuleFields()
    {
        Assert.Equal(FaultKindCatalog.Names.Count, FaultKindCatalog.Names.Distinct(StringComparer.Ordinal).Count());
        Assert.All(FaultKindCatalog.Names, n => Assert.Matches("^[a-z][A-Za-z]*$", n));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void EveryKind_ParsesFromItsExample(string name)
    {
        var kind = Kind(name);

        var rule = Assert.Single(FaultRuleParser.Parse(RuleJson(kind), Context).Rules);

        Assert.Same(kind, rule.Kind);
        Assert.Equal(name, rule.Name);
        Assert.NotNull(rule.Options);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void EveryKind_WithBadOptions_IsRefusedNamingItsField(string name)
    {
        var ex = Assert.Throws<FaultRuleException>(() => FaultRuleParser.Parse($$"""{ "name": "x", "node": "{{Node(Kind(name))}}", "{{name}}": { "noSuchOption": 1 } }""", Context));

        Assert.Contains($"{name}.", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void EveryKind_HasItsRowInTheKindsTableOfTheDocs(string name)
    {
        var docs = File.ReadAllText(Path.Combine(FolderCycleFinder.RepositoryRoot(), "docs", "faults.md"));
        var kinds = docs[docs.IndexOf("\n## Kinds", StringComparison.Ordinal)..];
        kinds = kinds[..kinds.IndexOf("\n## ", 1, StringComparison.Ordinal)];

        Assert.Contains($"\n| `{name}` |", kinds, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task EveryKind_ActsOnARealCall(string name)
    {
        var kind = Kind(name);
        await using var sim = await TestSimulator.StartAsync(TestSimulator.EphemeralOptions(nodes: 1, cardholders: 10));

        sim.Host.ApplyFaults(RuleJson(kind));

        if (kind.Flags.HasFlag(FaultKindFlags.NodeLevel))
        {
            // A node-level kind acts on the node: the scheduler switches it within a tick or two.
            Assert.True(await Eventually.WithinAsync(TimeSpan.FromSeconds(10), () => sim.Host.GetNodeState("issuer-1") != NodeState.Up), $"{name} left issuer-1 UP");
            return;
        }

        // A limit may let the first call through (a rate limit's burst): a few calls, then the count.
        for (var call = 0; call < 3 && Injections(sim, kind) == 0; call++)
        {
            try
            {
                if (kind.Flags.HasFlag(FaultKindFlags.SmsPath))
                {
                    await sim.Gateway.SendAsync(new SendRequest { Phone = "13800000000", Text = "code 123456" }, deadline: DateTime.UtcNow.AddSeconds(10));
                }
                else
                {
                    await sim.Issuers[0].AuthorizeAsync(new AuthorizeRequest { CardToken = "tok_unknown", AmountMinor = 100 }, deadline: DateTime.UtcNow.AddSeconds(10));
                }
            }
            catch (RpcException)
            {
                // The fault may well fail the call; what counts is that it was injected and counted.
            }
        }

        Assert.True(Injections(sim, kind) >= 1, $"no {name} injection counted on {Node(kind)}/{Method(kind)}");
    }

    private static IFaultKind Kind(string name) => FaultKindCatalog.TryFind(name, out var kind) ? kind : throw new ArgumentException(name);

    private static string RuleJson(IFaultKind kind) =>
        $$"""{ "name": "{{kind.Name}}", "node": "{{Node(kind)}}", "method": "{{Method(kind)}}", "{{kind.Name}}": {{kind.Example}} }""";

    private static string Node(IFaultKind kind) => kind.Flags.HasFlag(FaultKindFlags.SmsPath) ? "sms" : "issuer-1";

    private static string Method(IFaultKind kind) =>
        kind.Flags.HasFlag(FaultKindFlags.SmsPath) ? "Send" : kind.Flags.HasFlag(FaultKindFlags.NodeLevel) ? "*" : "Authorize";

    private static long Injections(TestSimulator sim, IFaultKind kind) =>
        sim.Host.GetStats().Nodes.Where(n => n.Name == Node(kind))
            .SelectMany(n => n.Methods).Where(m => m.Method == Method(kind))
            .Sum(m => m.Faults.TryGetValue(kind.Name, out var count) ? count : 0);
}
