using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using PaySim.LoadEngine;
using PaySim.LoadTests.Plans;

namespace PaySim.LoadTests.Sharding;

/// <summary>Reads and checks the shard folders handed to <c>merge</c>; every refusal is one line (exit 2).</summary>
internal static class ShardReader
{
    public static IReadOnlyList<ShardInput> ReadAll(IReadOnlyList<string> folders)
    {
        if (folders.Count == 0)
        {
            throw new PlanException("merge: no shard folder given; usage: merge DIR... [--report-dir DIR].");
        }

        var shards = folders.Select(Read).ToList();
        var first = shards[0];
        foreach (var s in shards.Skip(1))
        {
            if (s.Summary.Plan != first.Summary.Plan || s.Shard.Count != first.Shard.Count)
            {
                throw new PlanException($"merge: {s.Folder} is shard {s.Shard} of plan \"{s.Summary.Plan}\" but {first.Folder} is shard {first.Shard} of plan \"{first.Summary.Plan}\"; merge shards of one run only.");
            }
        }

        foreach (var dup in shards.GroupBy(s => s.Shard.Index).Where(g => g.Count() > 1))
        {
            throw new PlanException($"merge: shard {dup.Key}/{first.Shard.Count} given twice ({string.Join(", ", dup.Select(d => d.Folder))}).");
        }

        var missing = Enumerable.Range(1, first.Shard.Count).Except(shards.Select(s => s.Shard.Index)).ToArray();
        if (missing.Length > 0)
        {
            throw new PlanException($"merge: shard(s) {string.Join(", ", missing)} of {first.Shard.Count} missing; the merged counts would not be the plan's.");
        }

        return shards.OrderBy(s => s.Shard.Index).ToArray();
    }

    private static ShardInput Read(string folder)
    {
        if (!Directory.Exists(folder))
        {
            throw new PlanException($"merge: {folder}: no such directory.");
        }

        var file = Path.Combine(folder, ReportWriter.SummaryFile);
        if (!File.Exists(file))
        {
            throw new PlanException($"merge: {folder}: no {ReportWriter.SummaryFile} (not a report folder of `run --shard i/n`).");
        }

        RunSummary summary;
        try
        {
            summary = RunSummary.FromJson(File.ReadAllText(file));
        }
        catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException or NotSupportedException or LoadConfigException)
        {
            throw new PlanException($"merge: {file}: not a run summary ({ex.Message.Split('\n')[0]}).", ex);
        }

        if (summary.Extra["shard"] is not JsonObject shardNode
            || shardNode["index"] is not JsonValue indexNode || !indexNode.TryGetValue<int>(out var index)
            || shardNode["count"] is not JsonValue countNode || !countNode.TryGetValue<int>(out var count))
        {
            throw new PlanException($"merge: {file}: not a shard summary (no \"shard\" field {{index, count}}; run with --shard i/n).");
        }

        if (count < 1 || index < 1 || index > count)
        {
            throw new PlanException($"merge: {file}: shard {index}/{count} is not i/n with 1 <= i <= n.");
        }

        foreach (var s in summary.Scenarios.Concat(summary.Scenarios.SelectMany(s => s.Steps)))
        {
            if (s.Ok + s.Fail > 0 && string.IsNullOrEmpty(s.Histogram))
            {
                throw new PlanException($"merge: {file}: \"{s.Name}\" has no serialised histogram; percentiles could not be merged exactly.");
            }
        }

        return new ShardInput(folder, summary, new ShardSpec(index, count), ReadTimeSeries(Path.Combine(folder, ReportWriter.TimeSeriesFile)));
    }

    /// <summary>timeseries.csv: second,elapsed_s,scenario,requests,ok,fail,dropped,rps,p50_ms,p99_ms,concurrency (absent = none).</summary>
    private static IReadOnlyList<TimeSeriesPoint> ReadTimeSeries(string file)
    {
        if (!File.Exists(file))
        {
            return [];
        }

        var points = new List<TimeSeriesPoint>();
        foreach (var line in File.ReadLines(file).Skip(1))
        {
            var f = line.Split(',');
            if (f.Length < 11)
            {
                continue;
            }

            static double D(string t) => double.Parse(t, NumberStyles.Float, CultureInfo.InvariantCulture);
            static long L(string t) => long.Parse(t, NumberStyles.Integer, CultureInfo.InvariantCulture);
            try
            {
                points.Add(new TimeSeriesPoint
                {
                    Second = (int)L(f[0]), ElapsedS = D(f[1]), Scenario = f[2], Requests = L(f[3]), Ok = L(f[4]), Fail = L(f[5]),
                    Dropped = L(f[6]), Rps = D(f[7]), P50Ms = D(f[8]), P99Ms = D(f[9]), Concurrency = L(f[10]),
                });
            }
            catch (FormatException)
            {
                // A scenario name with a comma would shift the columns; the series is informative only.
            }
        }

        return points;
    }
}
