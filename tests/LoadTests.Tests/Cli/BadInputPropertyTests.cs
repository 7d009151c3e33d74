using System.Text.Json.Nodes;
using PaySim.LoadTests.Cli;
using PaySim.LoadTests.Plans;

namespace PaySim.LoadTests.Tests.Cli;

/// <summary>
/// Seeded fuzzing of every `run` flag and every plan field with values that must be refused: each one
/// is exit 2 (or a PlanException) with exactly one line that names the flag or field, never a stack
/// trace, and nothing written. The seed is in the test name, so a failure replays.
/// </summary>
public sealed class BadInputPropertyTests : IDisposable
{
    // Values no flag of `run` accepts for the flags they are given to below.
    private static readonly string[] Garbage =
    [
        "", " ", "abc", "NaN", "Infinity", "-Infinity", "1e309", "-1", "-0.5", "0x10", "99999999999999999999999",
        "5 s", "💥", "%s%s%n", "\t", "ünïcödé", new string('9', 400), "null", "{}", "[]", "--", "1/0",
    ];

    private static readonly Dictionary<string, string[]> BadByFlag = new()
    {
        ["--duration"] = ["", "abc", "-5s", "0s", "5x", "169h", "1e309s", "99999999999999999999h", "NaN", "5 s", "💥"],
        ["--rate"] = ["", "abc", "-1", "0", "NaN", "Infinity", "1e309", "1e9", "60000", "0x10", "💥"],
        ["--seed"] = ["", "abc", "-1", "1.5", "99999999999999999999", "0x10", "💥", "NaN"],
        ["--settle"] = ["", "abc", "-1s", "11m", "1e309s", "💥"],
        ["--wallet-mode"] = ["", "careful", "NAIVE ", "💥", "resilient,naive"],
        ["--shard"] = ["", "0/2", "3/2", "1/0", "1/1001", "a/b", "1/2/3", "-1/2", "💥"],
        ["--wallet-url"] = ["", "not a url", "ftp://x", "localhost:7300", "http//x", "💥"],
        ["--simulator-url"] = ["", "not a url", "ftp://x", "localhost:7000", "💥"],
        ["--sms-url"] = ["", "not a url", "ftp://x", "💥"],
        ["--wallet-hook"] = ["", "explode=kill 1", "crash", "=x", "crash=", "💥=1"],
        ["--otlp"] = ["", "not a url", "grpc://127.0.0.1:4317", "localhost:4318", "💥"],
        ["--out"] = ["", "csv=x.csv", "json", "json=", "json=/nonexistent-paysim-dir/r.json", "influxdb=http://localhost:8086", "💥"],
        ["--plan"] = ["no-such-plan", "/nonexistent/plan.json", "💥", "../../etc/passwd"],
    };

    private readonly string _dir = Directory.CreateTempSubdirectory("paysim-fuzz-").FullName;

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Every_run_flag_with_a_bad_value_is_one_line_naming_it_and_exit_2(int seed)
    {
        var random = new Random(seed);
        foreach (var (flag, values) in BadByFlag)
        {
            var value = values[random.Next(values.Length)];
            var report = Path.Combine(_dir, $"r-{seed}-{flag.Trim('-')}");
            string[] args = ["run", "--no-progress", "--report-dir", report, flag, value];

            var (code, stdout, err) = await CliRunner.RunAsync(args);

            var context = $"seed {seed}: {flag} '{value}' → exit {code}, stderr: {err}";
            Assert.True(code == ExitCodes.BadInput, context);
            var line = Assert.Single(Lines(err));
            Assert.StartsWith("error: ", line, StringComparison.Ordinal);
            Assert.True(line.Contains(flag, StringComparison.Ordinal) || NamesThePlan(flag, line), context);
            Assert.DoesNotContain("Exception", line, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", err, StringComparison.Ordinal);
            Assert.Equal("", stdout);
            Assert.False(Directory.Exists(report), context);
        }
    }

    [Theory]
    [InlineData(11)]
    [InlineData(12)]
    [InlineData(13)]
    [InlineData(14)]
    [InlineData(15)]
    [InlineData(16)]
    public void Every_plan_field_with_a_bad_value_is_one_line_naming_it(int seed)
    {
        var random = new Random(seed);
        var original = JsonNode.Parse(File.ReadAllText(PlanCatalog.List()["default"]))!.AsObject();
        // Free text the compiler does not judge: the description and the editor's "$schema" pointer.
        var fields = Leaves(original, "").Where(f => f.Path is not ("description" or "$schema")).ToArray();
        var tried = 0;
        foreach (var (path, value) in fields)
        {
            foreach (var bad in BadValuesFor(value, random).Take(3))
            {
                var plan = original.DeepClone().AsObject();
                Set(plan, path, bad?.DeepClone());
                var json = plan.ToJsonString();
                var leaf = path.Split('.', '[')[^1].TrimEnd(']');

                var ex = Record.Exception(() => PlanCompiler.Compile(json, "fuzz"));

                var context = $"seed {seed}: {path} = {bad?.ToJsonString() ?? "null"}";
                if (ex is null)
                {
                    // Only values the plan really allows may compile (e.g. another valid number).
                    Assert.True(Allowed(path, bad), $"{context} compiled, but it is not a valid value");
                    continue;
                }

                var plain = Assert.IsType<PlanException>(ex);
                Assert.DoesNotContain('\n', plain.Message);
                Assert.True(plain.Message.Contains(leaf, StringComparison.Ordinal) || plain.Message.Contains(path.Split('.')[0], StringComparison.Ordinal), $"{context}: '{plain.Message}' does not name the field");
                tried++;
            }
        }

        Assert.True(tried > 50, $"only {tried} refusals were exercised");
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    // A bad --plan or --wallet-hook is named by the plan's own field or the flag.
    private static bool NamesThePlan(string flag, string line) => flag == "--plan" && line.Contains("plan", StringComparison.Ordinal);

    private static IEnumerable<JsonNode?> BadValuesFor(JsonNode value, Random random)
    {
        JsonNode?[] pool = value.GetValueKind() switch
        {
            System.Text.Json.JsonValueKind.Number =>
                [JsonValue.Create(-1), JsonValue.Create(1e308), JsonValue.Create("12"), JsonValue.Create(true), new JsonArray(), new JsonObject(), JsonValue.Create(-1e-9)],
            System.Text.Json.JsonValueKind.String =>
                [JsonValue.Create(""), JsonValue.Create("💥"), JsonValue.Create(Garbage[random.Next(Garbage.Length)] + "x"), JsonValue.Create(42), JsonValue.Create(false), new JsonArray(), new JsonObject(), JsonValue.Create(new string('z', 5000))],
            System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False =>
                [JsonValue.Create("yes"), JsonValue.Create(1), new JsonArray()],
            _ => [],
        };
        return pool.OrderBy(_ => random.Next());
    }

    // A few fields take numbers whose bad value is only out of range, or names that are free text.
    private static bool Allowed(string path, JsonNode? value) =>
        (path == "name" && value?.GetValueKind() == System.Text.Json.JsonValueKind.String && System.Text.RegularExpressions.Regex.IsMatch(value.GetValue<string>(), "^[A-Za-z0-9_-]{0,64}$")) // a valid name ("" falls back to the file name)
        || (path.StartsWith("personas.", StringComparison.Ordinal) && value?.GetValueKind() == System.Text.Json.JsonValueKind.Number && value.GetValue<double>() is >= 0 and <= 1e6)
        || (path.EndsWith(".weight", StringComparison.Ordinal) && value?.GetValueKind() == System.Text.Json.JsonValueKind.Number && value.GetValue<double>() is > 0 and <= 1e6)
        || (path.Contains(".mix.", StringComparison.Ordinal) && value?.GetValueKind() == System.Text.Json.JsonValueKind.Number && value.GetValue<double>() is >= 0 and <= 1e6);

    private static IEnumerable<(string Path, JsonNode Value)> Leaves(JsonNode node, string path)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (k, v) in o)
                {
                    foreach (var leaf in v is null ? [] : Leaves(v, path.Length == 0 ? k : $"{path}.{k}"))
                    {
                        yield return leaf;
                    }
                }

                break;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++)
                {
                    foreach (var leaf in a[i] is null ? [] : Leaves(a[i]!, $"{path}[{i}]"))
                    {
                        yield return leaf;
                    }
                }

                break;
            default:
                yield return (path, node);
                break;
        }
    }

    private static void Set(JsonObject root, string path, JsonNode? value)
    {
        JsonNode current = root;
        var parts = path.Replace("[", ".[", StringComparison.Ordinal).Split('.');
        for (var i = 0; i < parts.Length; i++)
        {
            var part = parts[i];
            var last = i == parts.Length - 1;
            if (part.StartsWith('['))
            {
                var index = int.Parse(part.Trim('[', ']'), System.Globalization.CultureInfo.InvariantCulture);
                if (last)
                {
                    current.AsArray()[index] = value;
                }
                else
                {
                    current = current.AsArray()[index]!;
                }
            }
            else if (last)
            {
                current.AsObject()[part] = value;
            }
            else
            {
                current = current.AsObject()[part]!;
            }
        }
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
