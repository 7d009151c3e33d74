using System.Globalization;
using System.Xml.Linq;

namespace PaySim.LoadEngine.Reporting;

/// <summary>One test case per claim/threshold so CI shows each rule as a test.</summary>
internal static class JunitReport
{
    public static string Render(RunSummary s)
    {
        var failures = s.Claims.Count(c => !c.Pass);
        var suite = new XElement(
            "testsuite",
            new XAttribute("name", s.Plan),
            new XAttribute("tests", s.Claims.Count),
            new XAttribute("failures", failures),
            new XAttribute("errors", 0),
            new XAttribute("time", s.DurationS.ToString("0.###", CultureInfo.InvariantCulture)),
            new XAttribute("timestamp", s.StartedUtc.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture)));
        foreach (var c in s.Claims)
        {
            var testcase = new XElement(
                "testcase",
                new XAttribute("name", c.Name),
                new XAttribute("classname", $"{s.Plan}.{c.Scenario ?? "claims"}"),
                new XAttribute("time", "0"));
            var text = $"expected {c.Expression}, observed {c.ObservedText}{(c.Message is null ? string.Empty : " (" + c.Message + ")")}";
            testcase.Add(c.Pass ? new XElement("system-out", text) : new XElement("failure", new XAttribute("message", text), new XAttribute("type", "claim"), text));
            suite.Add(testcase);
        }

        if (s.AbortReason is not null)
        {
            suite.Add(new XElement("system-err", "stopped early: " + s.AbortReason));
        }

        var doc = new XDocument(new XDeclaration("1.0", "utf-8", null), new XElement("testsuites", suite));
        return doc.Declaration + Environment.NewLine + doc.ToString();
    }
}
