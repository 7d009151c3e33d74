using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml.Linq;

namespace PaySim.LoadTests.Selftest;

/// <summary>selftest.md (the matrix), selftest.json (every cell) and junit.xml (one case per plan on the clean wallet, one per defect).</summary>
internal static class SelftestReport
{
    public const string MarkdownFile = "selftest.md";
    public const string JsonFile = "selftest.json";
    public const string JunitFile = "junit.xml";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static async Task WriteAsync(string folder, SelftestMatrix matrix, SelftestRequest request, string command, DateTimeOffset started, double seconds)
    {
        Directory.CreateDirectory(folder);
        await File.WriteAllTextAsync(Path.Combine(folder, MarkdownFile), Markdown(matrix, command, started, seconds)).ConfigureAwait(false);
        await File.WriteAllTextAsync(Path.Combine(folder, JsonFile), Json(matrix, request, command, started, seconds).ToJsonString(Indented)).ConfigureAwait(false);
        await File.WriteAllTextAsync(Path.Combine(folder, JunitFile), Junit(matrix, started, seconds)).ConfigureAwait(false);
    }

    /// <summary>Rows the defects (the clean wallet first), columns the plans, a last column saying what caught the defect.</summary>
    public static string Markdown(SelftestMatrix matrix, string command, DateTimeOffset started, double seconds)
    {
        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"# selftest: {(matrix.Passed ? "pass" : "FAIL")}");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"`{command}`, {started.UtcDateTime:yyyy-MM-dd HH:mm} UTC, {matrix.Cells.Count} runs in {seconds / 60:0.#} min.");
        md.AppendLine("Each cell is the plan's verdict for that wallet (the resilient reference wallet, clean or with one planted defect), with the figures of the claims that failed; `-` was not run (`--promised-only`); `*` marks a plan's promise to catch that defect, and \"(promised by …)\" a promise whose claims did not fail (the run went red by others only).");
        md.AppendLine();
        md.Append("| wallet |");
        foreach (var plan in matrix.Plans)
        {
            md.Append(CultureInfo.InvariantCulture, $" {plan} |");
        }

        md.AppendLine(" caught by |");
        md.Append("| --- |");
        md.Append(string.Concat(Enumerable.Repeat(" --- |", matrix.Plans.Count + 1)));
        md.AppendLine();
        foreach (var row in matrix.Rows)
        {
            var defect = row == SelftestMatrix.CleanRow ? null : row;
            md.Append(CultureInfo.InvariantCulture, $"| {(defect is null ? "clean" : $"`{defect}`")} |");
            foreach (var plan in matrix.Plans)
            {
                var promised = matrix.Promise(defect, plan) is not null;
                var cell = matrix.Find(defect, plan);
                var text = cell is null ? "-" : cell.Passed ? "pass" : $"**{cell.Short}**";
                var missed = cell is null ? null : matrix.MissedBy(cell);
                md.Append(CultureInfo.InvariantCulture, $" {text}{(promised ? " *" : string.Empty)}{(missed is null ? string.Empty : $" (promised by {string.Join(", ", missed.By)})")} |");
            }

            var caught = defect is null
                ? (matrix.FalseAlarms.Count == 0 ? "no false alarm" : $"**false alarms: {string.Join(", ", matrix.FalseAlarms)}**")
                : matrix.CaughtBy[defect].Count == 0 ? "**NOT CAUGHT**" : string.Join(", ", matrix.CaughtBy[defect]);
            md.AppendLine(CultureInfo.InvariantCulture, $" {caught} |");
        }

        var problems = matrix.Problems().ToArray();
        md.AppendLine();
        if (problems.Length == 0)
        {
            md.AppendLine("The clean wallet passed every plan, every defect failed at least one, and every promise run was kept.");
        }
        else
        {
            foreach (var problem in problems)
            {
                md.AppendLine(CultureInfo.InvariantCulture, $"- {problem}");
            }
        }

        return md.ToString();
    }

    public static JsonObject Json(SelftestMatrix matrix, SelftestRequest request, string command, DateTimeOffset started, double seconds) => new()
    {
        ["verdict"] = matrix.Passed ? "pass" : "fail",
        ["exitCode"] = matrix.Passed ? 0 : 1,
        ["command"] = command,
        ["startedUtc"] = started.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
        ["seconds"] = Math.Round(seconds, 1),
        ["duration"] = Plans.DurationText.Format(request.Duration),
        ["seed"] = request.Seed,
        ["promisedOnly"] = request.PromisedOnly,
        ["plans"] = new JsonArray(matrix.Plans.Select(p => (JsonNode)p).ToArray()),
        ["defects"] = new JsonArray(matrix.Defects.Select(d => (JsonNode)d).ToArray()),
        ["promises"] = new JsonObject(matrix.Promises.Where(kv => kv.Value.Count > 0).Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)new JsonArray(kv.Value.Select(c => (JsonNode)c.Defect).ToArray())))),

        // Plan → defect → the claim metrics one of which must fail ([] = any claim), for the promises that name them.
        ["promisedBy"] = new JsonObject(matrix.Promises.Where(kv => kv.Value.Count > 0).Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)new JsonObject(kv.Value.Select(c => KeyValuePair.Create(c.Defect, (JsonNode?)new JsonArray(c.By.Select(m => (JsonNode)m).ToArray()))))))),
        ["falseAlarms"] = new JsonArray(matrix.FalseAlarms.Select(p => (JsonNode)p).ToArray()),
        ["uncaught"] = new JsonArray(matrix.Uncaught.Select(d => (JsonNode)d).ToArray()),
        ["brokenPromises"] = new JsonArray(matrix.BrokenPromises.Select(b => (JsonNode)b).ToArray()),
        ["caughtBy"] = new JsonObject(matrix.CaughtBy.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)new JsonArray(kv.Value.Select(p => (JsonNode)p).ToArray())))),
        ["cells"] = new JsonArray(matrix.Cells.Select(c => (JsonNode)new JsonObject
        {
            ["wallet"] = c.Row,
            ["plan"] = c.Plan,
            ["verdict"] = c.Passed ? "pass" : "fail",
            ["failedClaims"] = new JsonArray(c.FailedClaims.Select(f => (JsonNode)f).ToArray()),
            ["failedMetrics"] = new JsonArray(c.FailedMetrics.Select(f => (JsonNode)f).ToArray()),
            ["error"] = c.Error,
            ["seconds"] = Math.Round(c.Seconds, 1),
            ["reportFolder"] = c.ReportFolder,
            ["command"] = c.Command,
        }).ToArray()),
    };

    /// <summary>
    /// One test case per plan ("the clean wallet passes it") and one per defect ("some plan catches it, and every promise
    /// holds", a promise with <c>by</c> kept only by one of its claims: its failure says what failed instead).
    /// </summary>
    public static string Junit(SelftestMatrix matrix, DateTimeOffset started, double seconds)
    {
        var suite = new XElement("testsuite", new XAttribute("name", "selftest"), new XAttribute("time", seconds.ToString("0.###", CultureInfo.InvariantCulture)), new XAttribute("timestamp", started.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture)));
        var tests = 0;
        var failures = 0;
        var errors = 0;
        foreach (var plan in matrix.Plans)
        {
            var cell = matrix.Find(null, plan)!;
            var text = cell.Passed ? "every claim held" : (cell.Error ?? string.Join("; ", cell.FailedClaims)) + cell.RunAlone("run it alone");

            // A run that gave no verdict (exit 3, a crash) is a JUnit error, not a claim that failed.
            var outcome = cell.Passed ? Outcome.Passed : cell.Error is not null ? Outcome.Error : Outcome.Failed;
            suite.Add(Case($"clean wallet passes {plan}", "selftest.plans", cell.Seconds, outcome, text));
            tests++;
            failures += outcome == Outcome.Failed ? 1 : 0;
            errors += outcome == Outcome.Error ? 1 : 0;
        }

        foreach (var defect in matrix.Defects)
        {
            var broken = matrix.Broken.Where(b => b.Defect == defect).Select(b => b.Text).ToArray();
            var caughtBy = matrix.CaughtBy[defect];
            var ok = caughtBy.Count > 0 && broken.Length == 0;
            var text = caughtBy.Count == 0
                ? (broken.Length == 0 ? "no plan failed with it" : "caught by no plan; " + string.Join("; ", broken))
                : $"caught by {string.Join(", ", caughtBy)}" + (broken.Length == 0 ? string.Empty : "; " + string.Join("; ", broken));
            var cells = matrix.Cells.Where(c => c.Defect == defect).ToArray();
            var time = cells.Sum(c => c.Seconds);

            // Not caught because no run with it gave a verdict: an error, with the runs' own reasons.
            var outcome = ok ? Outcome.Passed : caughtBy.Count == 0 && cells.Length > 0 && cells.All(c => c.Error is not null) ? Outcome.Error : Outcome.Failed;
            if (outcome == Outcome.Error)
            {
                text = "no run with it gave a verdict: " + string.Join("; ", cells.Select(c => $"{c.Plan}: {c.Error}"));
            }

            suite.Add(Case($"{defect} is caught", "selftest.defects", time, outcome, text));
            tests++;
            failures += outcome == Outcome.Failed ? 1 : 0;
            errors += outcome == Outcome.Error ? 1 : 0;
        }

        suite.Add(new XAttribute("tests", tests), new XAttribute("failures", failures), new XAttribute("errors", errors));
        var doc = new XDocument(new XDeclaration("1.0", "utf-8", null), new XElement("testsuites", suite));
        return doc.Declaration + Environment.NewLine + doc;
    }

    private static XElement Case(string name, string classname, double seconds, Outcome outcome, string text) =>
        new(
            "testcase",
            new XAttribute("name", name),
            new XAttribute("classname", classname),
            new XAttribute("time", seconds.ToString("0.###", CultureInfo.InvariantCulture)),
            outcome switch
            {
                Outcome.Passed => new XElement("system-out", text),
                Outcome.Error => new XElement("error", new XAttribute("message", text), new XAttribute("type", "no verdict"), text),
                _ => new XElement("failure", new XAttribute("message", text), new XAttribute("type", "selftest"), text),
            });

    private enum Outcome
    {
        Passed,
        Failed,
        Error,
    }
}
