using System.Globalization;
using System.Xml.Linq;

namespace PaySim.LoadEngine.Reporting;

/// <summary>
/// One test case per claim/threshold so CI shows each rule as a test. A run that did not complete (Ctrl+C, SIGTERM at a
/// CI job's timeout, a plan event that could not be applied) adds one more test case, "run completed", with an
/// &lt;error&gt; giving the reason: a test tab must not show it as green, since its claims were judged over another run.
/// A run an abortOnFail threshold or claim stopped gets it too: its claims were judged over a run shorter than planned
/// (the claim that stopped it is a &lt;failure&gt; of its own).
/// </summary>
internal static class JunitReport
{
    /// <summary>The test case an interrupted run adds.</summary>
    public const string CompletedCase = "run completed";

    public static string Render(RunSummary s)
    {
        var failures = s.Claims.Count(c => !c.Pass);
        var errors = s.AbortReason is null ? 0 : 1;
        var suite = new XElement(
            "testsuite",
            new XAttribute("name", s.Plan),
            new XAttribute("tests", s.Claims.Count + errors),
            new XAttribute("failures", failures),
            new XAttribute("errors", errors),
            new XAttribute("time", s.DurationS.ToString("0.###", CultureInfo.InvariantCulture)),
            new XAttribute("timestamp", s.StartedUtc.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture)));
        var names = new Dictionary<(string Class, string Name), int>();
        foreach (var c in s.Claims)
        {
            var classname = $"{s.Plan}.{c.Scenario ?? "claims"}";
            var testcase = new XElement(
                "testcase",
                new XAttribute("name", UniqueName(names, classname, CaseName(c))),
                new XAttribute("classname", classname),
                new XAttribute("time", "0"));
            var text = $"expected {c.Expression}, observed {c.ObservedText}{(c.Message is null ? string.Empty : " (" + c.Message + ")")}";
            testcase.Add(c.Pass ? new XElement("system-out", text) : new XElement("failure", new XAttribute("message", text), new XAttribute("type", "claim"), text));
            suite.Add(testcase);
        }

        if (s.AbortReason is not null)
        {
            var text = s.AbortReason;
            suite.Add(new XElement(
                "testcase",
                new XAttribute("name", CompletedCase),
                new XAttribute("classname", $"{s.Plan}.run"),
                new XAttribute("time", s.DurationS.ToString("0.###", CultureInfo.InvariantCulture)),
                new XElement("error", new XAttribute("message", text), new XAttribute("type", "aborted"), text)));
            suite.Add(new XElement("system-err", "stopped early: " + text));
        }

        var doc = new XDocument(new XDeclaration("1.0", "utf-8", null), new XElement("testsuites", suite));
        return doc.Declaration + Environment.NewLine + doc.ToString();
    }

    // A claim named after its metric ("success_rate") shows its whole rule ("success_rate >= 99%"): two claims on one
    // metric are two tests. A name of its own ("fair", "pay: p99 < 1ms") stays.
    private static string CaseName(ClaimResult c) =>
        c.Expression.StartsWith(c.Name, StringComparison.Ordinal) && c.Expression.Length > c.Name.Length ? c.Expression : c.Name;

    // CI reporters key test cases by classname and name; a repeat would overwrite or merge the first.
    private static string UniqueName(Dictionary<(string, string), int> seen, string classname, string name)
    {
        var count = seen.GetValueOrDefault((classname, name)) + 1;
        seen[(classname, name)] = count;
        return count == 1 ? name : $"{name} ({count})";
    }
}
