using System.Text;

namespace PaySim.LoadEngine.Reporting;

internal static class MarkdownReport
{
    public static string Render(RunSummary s)
    {
        var md = new StringBuilder();
        md.AppendLine($"# {s.Plan}: {s.Verdict.ToUpperInvariant()}").AppendLine();
        md.AppendLine($"Started {s.StartedUtc:yyyy-MM-dd HH:mm:ss}Z, ran {Format.Num(s.DurationS)} s.");
        if (s.Command is not null)
        {
            // A command holding a backtick (a quoted shell argument) needs a longer code fence, padded (CommonMark).
            md.AppendLine().AppendLine(s.Command.Contains('`', StringComparison.Ordinal) ? $"Run it again: `` {s.Command} ``" : $"Run it again: `{s.Command}`");
        }

        if (s.AbortReason is not null)
        {
            md.AppendLine().AppendLine($"**Stopped early:** {Escape(s.AbortReason)}");
        }

        md.AppendLine().AppendLine("## Claims").AppendLine();
        if (s.Claims.Count == 0)
        {
            md.AppendLine("No claims or thresholds.");
        }
        else
        {
            md.AppendLine("| result | claim | expression | observed |").AppendLine("| --- | --- | --- | --- |");
            foreach (var c in s.Claims)
            {
                md.AppendLine($"| {(c.Pass ? "✅ pass" : "❌ fail")} | {Escape(c.Name)} | `{c.Expression}` | {Escape(c.ObservedText)}{(c.Message is null ? string.Empty : " (" + Escape(c.Message) + ")")} |");
            }
        }

        md.AppendLine().AppendLine("## Scenarios").AppendLine();
        var percentiles = s.Scenarios.FirstOrDefault()?.LatencyMs.Percentiles.Keys.ToArray() ?? [];
        md.AppendLine($"| scenario / step | ok | fail | ok % | rps | dropped | {string.Join(" | ", percentiles.Select(p => p + " ms"))} | max ms | mean ms | bytes |");
        md.AppendLine("|" + string.Concat(Enumerable.Repeat(" --- |", 10 + percentiles.Length - 1)));
        foreach (var sc in s.Scenarios)
        {
            Row(md, sc.Name, sc, sc.Dropped.ToString(System.Globalization.CultureInfo.InvariantCulture), percentiles);
            foreach (var st in sc.Steps)
            {
                Row(md, $"↳ {sc.Name} / {st.Name}", st, string.Empty, percentiles);
            }
        }

        md.AppendLine().AppendLine("## Status codes").AppendLine();
        foreach (var sc in s.Scenarios)
        {
            md.AppendLine($"- **{Escape(sc.Name)}**: {Escape(Format.Codes(sc.StatusCodes))}");
            foreach (var st in sc.Steps)
            {
                md.AppendLine($"  - {Escape(st.Name)}: {Escape(Format.Codes(st.StatusCodes))}");
            }
        }

        if (s.Extra.Count > 0)
        {
            md.AppendLine().AppendLine("## Other results").AppendLine().AppendLine("```json");
            md.AppendLine(s.Extra.ToJsonString(RunSummary.JsonOptions)).AppendLine("```");
        }

        return md.ToString();
    }

    private static void Row(StringBuilder md, string name, StepSummary s, string dropped, string[] percentiles)
    {
        var values = percentiles.Select(p => s.LatencyMs.Percentiles.TryGetValue(p, out var v) ? Format.Ms(v) : "");
        md.AppendLine($"| {Escape(name)} | {Format.Int(s.Ok)} | {Format.Int(s.Fail)} | {Format.Pct(s.Ok, s.Ok + s.Fail)} | {Format.Num(s.Rps)} | {dropped} | {string.Join(" | ", values)} | {Format.Ms(s.LatencyMs.Max)} | {Format.Ms(s.LatencyMs.Mean)} | {Format.Bytes(s.Bytes)} |");
    }

    private static string Escape(string s) => s.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);
}
