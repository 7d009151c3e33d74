using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using PaySim.Simulator.Faults;
using PaySim.Simulator.Faults.Kinds;
using PaySim.Simulator.Faults.Rules;
using PaySim.Simulator.Tests.Support;

namespace PaySim.Simulator.Tests.Faults.Rules;

/// <summary>
/// Seeded fuzzing of every field of a rule of every kind with values that must be refused: each one is
/// a FaultRuleException (HTTP 400) with one line naming the field, never another exception and never a
/// rule applied. The seed is in the test name, so a failure replays.
/// </summary>
public sealed class FaultRuleFuzzTests
{
    private static readonly FaultRuleContext Context = FaultRuleContext.ForIssuers(3);

    public static TheoryData<string, int> KindsAndSeeds()
    {
        var data = new TheoryData<string, int>();
        foreach (var name in FaultKindCatalog.Names)
        {
            data.Add(name, 1);
            data.Add(name, 2);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(KindsAndSeeds))]
    public void Every_field_of_a_rule_with_a_bad_value_is_one_line_naming_it(string kindName, int seed)
    {
        var random = new Random(HashCode.Combine(seed, kindName.Length, kindName[0]));
        Assert.True(FaultKindCatalog.TryFind(kindName, out var kind));
        var rule = BaseRule(kind);
        FaultRuleParser.Parse(rule.ToJsonString(), Context); // the base rule itself is valid
        var refused = 0;
        foreach (var (path, value) in Leaves(rule, ""))
        {
            foreach (var bad in BadValues(value, random).Take(4))
            {
                var mutated = rule.DeepClone().AsObject();
                Set(mutated, path, bad?.DeepClone());
                var json = mutated.ToJsonString();
                var context = $"{kindName} seed {seed}: {path} = {bad?.ToJsonString() ?? "null"}";

                var ex = Record.Exception(() => FaultRuleParser.Parse(json, Context));
                if (ex is null)
                {
                    Assert.True(Allowed(path, bad), $"{context} was accepted");
                    continue;
                }

                var refusal = Assert.IsType<FaultRuleException>(ex);
                Assert.DoesNotContain('\n', refusal.Message);
                var leaf = path.Split('.')[^1];
                Assert.True(refusal.Message.Contains(leaf, StringComparison.Ordinal), $"{context}: '{refusal.Message}' does not name {leaf}");
                refused++;
            }
        }

        Assert.True(refused >= 8, $"{kindName}: only {refused} refusals exercised");
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{")]
    [InlineData("[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]")]
    [InlineData("\u0000\u0001\u0002")]
    [InlineData("42")]
    [InlineData("\"rule\"")]
    [InlineData("null")]
    [InlineData("{\"name\":\"a\",\"name\":\"b\",\"latency\":\"1ms\"}")]
    [InlineData("{\"name\":\"a\",\"latency\":\"1ms\",\"bogus\":1}")]
    [InlineData("[{\"name\":\"a\",\"latency\":\"1ms\"},{\"name\":\"a\",\"latency\":\"2ms\"}]")]
    public async Task A_body_that_is_no_rule_is_a_one_line_400_and_applies_nothing(string body)
    {
        await using var sim = await TestSimulator.StartAsync(TestSimulator.EphemeralOptions(nodes: 1, cardholders: 10));

        var response = await sim.Http.PostAsync("/v1/faults", new StringContent(body, Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var error = JsonDocument.Parse(text);
        var line = error.RootElement.GetProperty("error").GetString()!;
        Assert.StartsWith("invalid fault rule", line, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', line);
        Assert.DoesNotContain("Exception", line, StringComparison.Ordinal);
        using var rules = JsonDocument.Parse(await sim.Http.GetStringAsync("/v1/faults"));
        Assert.Equal(0, rules.RootElement.GetProperty("count").GetInt32());
    }

    private static JsonObject BaseRule(IFaultKind kind)
    {
        var sms = kind.Flags.HasFlag(FaultKindFlags.SmsPath);
        var nodeLevel = kind.Flags.HasFlag(FaultKindFlags.NodeLevel);
        var rule = new JsonObject
        {
            ["name"] = "fuzz",
            ["node"] = sms ? "sms" : "issuer-1",
            ["method"] = sms ? "Send" : nodeLevel ? "*" : "Authorize",
            ["start"] = "1s",
            ["duration"] = "10s",
            [kind.Name] = JsonNode.Parse(kind.Example),
        };
        if (!nodeLevel && !kind.Flags.HasFlag(FaultKindFlags.Limit))
        {
            rule["probability"] = 0.5;
            rule["times"] = 3;
        }

        return rule;
    }

    // The few mutations a field really allows (another valid value of the same kind).
    private static bool Allowed(string path, JsonNode? value) =>
        (path == "name" && value?.GetValueKind() == JsonValueKind.String && System.Text.RegularExpressions.Regex.IsMatch(value.GetValue<string>(), "^[A-Za-z0-9._:-]{1,64}$"))
        || value is JsonObject { Count: 0 } && path.Split('.').Length == 1 && FaultKindCatalog.TryFind(path, out _); // {} = the kind's defaults

    private static IEnumerable<JsonNode?> BadValues(JsonNode value, Random random)
    {
        JsonNode?[] pool = value.GetValueKind() switch
        {
            JsonValueKind.Number => [JsonValue.Create(-1), JsonValue.Create(1e308), JsonValue.Create("12"), JsonValue.Create(true), new JsonArray(), new JsonObject(), JsonValue.Create(-1e-9)],
            JsonValueKind.String => [JsonValue.Create(""), JsonValue.Create("💥"), JsonValue.Create(42), JsonValue.Create(false), new JsonArray(), new JsonObject(), JsonValue.Create(new string('z', 5000)), JsonValue.Create("-5s"), JsonValue.Create("10000000h")],
            JsonValueKind.True or JsonValueKind.False => [JsonValue.Create("yes"), JsonValue.Create(1), new JsonArray()],
            JsonValueKind.Object => [JsonValue.Create("x"), JsonValue.Create(1), new JsonArray(), new JsonObject { ["bogus"] = 1 }],
            _ => [],
        };
        return pool.OrderBy(_ => random.Next());
    }

    private static IEnumerable<(string Path, JsonNode Value)> Leaves(JsonObject node, string path)
    {
        foreach (var (k, v) in node)
        {
            var here = path.Length == 0 ? k : $"{path}.{k}";
            if (v is JsonObject o && o.Count > 0)
            {
                yield return (here, o);
                foreach (var leaf in Leaves(o, here))
                {
                    yield return leaf;
                }
            }
            else if (v is not null)
            {
                yield return (here, v);
            }
        }
    }

    private static void Set(JsonObject root, string path, JsonNode? value)
    {
        var parts = path.Split('.');
        var current = root;
        foreach (var part in parts[..^1])
        {
            current = current[part]!.AsObject();
        }

        current[parts[^1]] = value;
    }
}
