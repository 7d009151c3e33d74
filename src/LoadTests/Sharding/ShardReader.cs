using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using PaySim.LoadEngine;
using PaySim.LoadTests.Plans;

namespace PaySim.LoadTests.Sharding;

/// <summary>Reads and checks the shard folders handed to <c>merge</c>; every refusal is one line (exit 2).</summary>
internal static class ShardReader
{
    /// <summary>Reads every shard folder; <paramref name="readTimeout"/> bounds each file read (<see cref="BoundedFile.ReadTimeout"/> when null).</summary>
    public static IReadOnlyList<ShardInput> ReadAll(IReadOnlyList<string> folders, TimeSpan? readTimeout = null)
    {
        if (folders.Count == 0)
        {
            throw new PlanException("merge: no shard folder given; usage: merge DIR... [--report-dir DIR].");
        }

        var shards = folders.Select(f => Read(f, readTimeout)).ToList();
        var first = shards[0];
        foreach (var s in shards.Skip(1))
        {
            if (s.Summary.Plan != first.Summary.Plan || s.Shard.Count != first.Shard.Count)
            {
                throw new PlanException($"merge: {s.Folder} is shard {s.Shard} of plan \"{s.Summary.Plan}\" but {first.Folder} is shard {first.Shard} of plan \"{first.Summary.Plan}\"; merge shards of one run only.");
            }

            // Each shard's data (cardholders, amounts, the simulator's draws) comes from the seed: other seeds, another run.
            if (Seed(s) != Seed(first))
            {
                throw new PlanException($"merge: {s.Folder} ran with seed {Seed(s)} but {first.Folder} with seed {Seed(first)}; shards of one run share its seed (run every shard with the same --seed).");
            }

            var names = Names(s);
            if (!names.SetEquals(Names(first)))
            {
                throw new PlanException($"merge: {s.Folder} has scenarios [{string.Join(", ", names.Order(StringComparer.Ordinal))}] but {first.Folder} has [{string.Join(", ", Names(first).Order(StringComparer.Ordinal))}]; shards of one plan run the same scenarios.");
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

        var ordered = shards.OrderBy(s => s.Shard.Index).ToArray();
        CheckSideBySide(ordered);
        CheckEmbeddedFaults(ordered);
        return ordered;

        static string Seed(ShardInput s) => s.Summary.Extra["seed"]?.ToJsonString() ?? "(none)";

        static HashSet<string> Names(ShardInput s) => s.Summary.Scenarios.Select(x => x.Name).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>
    /// Shards are one run only when they ran side by side: shard 1 plays the plan's faults and events for all of them, and
    /// the simulator's counters (shard 1's before/after) span the others' calls only while they overlap. A shard that ran
    /// before or after shard 1 carried fault-free load and would dilute the merged figures into a pass. Checked for shards
    /// of an external target (one shared simulator).
    /// </summary>
    private static void CheckSideBySide(IReadOnlyList<ShardInput> ordered)
    {
        var one = ordered[0];
        if (!ordered.All(s => (s.Summary.Extra["target"] as JsonObject)?["kind"]?.GetValue<string>() == "external"))
        {
            // Shards on embedded clusters each had their own simulator: nothing was shared, so no window to share.
            return;
        }

        var (oneStart, oneEnd) = Window(one);
        foreach (var s in ordered.Skip(1))
        {
            var (start, end) = Window(s);
            if (start >= oneEnd || oneStart >= end)
            {
                throw new PlanException(
                    $"merge: {s.Folder} (shard {s.Shard}) ran {Time(start)} to {Time(end)} but {one.Folder} (shard {one.Shard}), which plays the plan's faults for every shard, ran {Time(oneStart)} to {Time(oneEnd)}: they did not run side by side, so they are not one run; start every shard at the same time (docs/scale-out.md).");
            }
        }

        static (DateTimeOffset Start, DateTimeOffset End) Window(ShardInput s) => (s.Summary.StartedUtc, s.Summary.StartedUtc.AddSeconds(s.Summary.DurationS));

        static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Shards of an embedded target each started their own cluster, and only shard 1 played the plan's faults, node and
    /// wallet events, on its own cluster: the other shards' users met none of them, so a merged verdict would dilute the
    /// fault window into a pass. Refused when the plan has any (<c>shard.planEvents</c>; a shard written before that field
    /// counts shard 1's <c>faultTimeline</c>); embedded shards of a plan without faults merge as before.
    /// </summary>
    private static void CheckEmbeddedFaults(IReadOnlyList<ShardInput> ordered)
    {
        var events = ordered.Max(s => s.Summary.Extra["shard"]?["planEvents"] is JsonValue v && v.TryGetValue<int>(out var n) && n > 0 ? n : 0);
        if (events == 0)
        {
            events = (ordered[0].Summary.Extra["faultTimeline"] as JsonArray)?.Count(e => e?["what"]?.GetValue<string>() is { } w && !w.EndsWith(" ended", StringComparison.Ordinal)) ?? 0;
        }

        if (events == 0)
        {
            return;
        }

        if (ordered.Skip(1).FirstOrDefault(s => (s.Summary.Extra["target"] as JsonObject)?["kind"]?.GetValue<string>() != "external") is { } alone)
        {
            throw new PlanException(
                $"merge: {alone.Folder} (shard {alone.Shard}) ran on its own embedded cluster, so it played none of the plan's {events} faults and events (shard 1 played them on its cluster only) and merged it would dilute the fault window into a pass; run every shard against one external target (--simulator-url, --wallet-url; docs/scale-out.md).");
        }
    }

    /// <summary>Writing the merged report into a shard's folder would overwrite that shard's summary.json.</summary>
    public static void CheckReportDir(IReadOnlyList<string> folders, string? reportDir)
    {
        if (reportDir is null)
        {
            return;
        }

        var target = Path.TrimEndingDirectorySeparator(Reporting.ReportFolder.CheckPath(reportDir, "--report-dir"));
        if (folders.FirstOrDefault(f => f.Length > 0 && !f.Contains('\0') && string.Equals(Full(f), target, StringComparison.Ordinal)) is { } shard)
        {
            throw new PlanException($"--report-dir: \"{reportDir}\" is one of the shard folders being merged ({shard}); give a new folder for the merged report.");
        }

        static string Full(string folder) => Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder));
    }

    private static ShardInput Read(string folder, TimeSpan? readTimeout)
    {
        if (File.Exists(folder))
        {
            throw new PlanException($"merge: {folder}: is a file; give the report folder it is in (the folder of `run --shard i/n`).");
        }

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
            var text = BoundedFile.ReadText(file, $"merge: {file}:", Give, "a shard's summary.json is a few MB at most", readTimeout);

            // A doubled field would otherwise be read twice (once as a property, once as an extra field) or throw.
            using (JsonDocument.Parse(text, new JsonDocumentOptions { AllowDuplicateProperties = false, MaxDepth = 64 }))
            {
            }

            summary = RunSummary.FromJson(text);
        }
        catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException or NotSupportedException or LoadConfigException or ArgumentException or IOException or UnauthorizedAccessException)
        {
            throw new PlanException($"merge: {file}: not a run summary ({ex.Message.Split('\n')[0]}).", ex);
        }

        ShardSummaryCheck.Check(summary, file);
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

        var series = ReadTimeSeries(Path.Combine(folder, ReportWriter.TimeSeriesFile), ReadStepSeries(Path.Combine(folder, ReportWriter.StepTimeSeriesFile), readTimeout), readTimeout);
        return new ShardInput(folder, summary, new ShardSpec(index, count), series);
    }

    private const string Give = "give the report folder of `run --shard i/n`";

    // A shard's CSV, read with the same bounds as its summary.json (a FIFO in its place must not hang merge).
    private static IEnumerable<string> Lines(string file, TimeSpan? readTimeout) =>
        BoundedFile.ReadText(file, $"merge: {file}:", Give, "a shard's time series is a few MB at most", readTimeout)
            .Split('\n')
            .Select(line => line.TrimEnd('\r'))
            .Where(line => line.Length > 0);

    /// <summary>
    /// timeseries.csv: second,elapsed_s,scenario,requests,ok,fail,dropped,rps,p50_ms,p99_ms,concurrency[,target_rps]
    /// (absent = none; target_rps empty or missing = no target), with each point's steps from timeseries-steps.csv.
    /// </summary>
    private static IReadOnlyList<TimeSeriesPoint> ReadTimeSeries(string file, ILookup<(int Second, string Scenario), StepPoint> steps, TimeSpan? readTimeout)
    {
        if (!File.Exists(file))
        {
            return [];
        }

        var points = new List<TimeSeriesPoint>();
        foreach (var line in Lines(file, readTimeout).Skip(1))
        {
            var f = line.Split(',');
            if (f.Length < 11)
            {
                continue;
            }

            try
            {
                points.Add(new TimeSeriesPoint
                {
                    Second = (int)L(f[0]), ElapsedS = D(f[1]), Scenario = f[2], Requests = L(f[3]), Ok = L(f[4]), Fail = L(f[5]),
                    Dropped = L(f[6]), Rps = D(f[7]), P50Ms = D(f[8]), P99Ms = D(f[9]), Concurrency = L(f[10]),
                    TargetRps = f.Length > 11 && f[11].Length > 0 ? D(f[11]) : null,
                    MaxStartLagMs = f.Length > 12 && f[12].Length > 0 ? D(f[12]) : 0,
                    Steps = steps[((int)L(f[0]), f[2])].ToArray(),
                });
            }
            catch (FormatException)
            {
                // A scenario name with a comma would shift the columns; the series is informative only.
            }
        }

        return points;
    }

    /// <summary>timeseries-steps.csv: second,elapsed_s,scenario,step,requests,ok,fail,p50_ms,p99_ms (absent, as in reports written before it = no steps).</summary>
    private static ILookup<(int Second, string Scenario), StepPoint> ReadStepSeries(string file, TimeSpan? readTimeout)
    {
        var rows = new List<((int, string) Key, StepPoint Step)>();
        if (File.Exists(file))
        {
            foreach (var line in Lines(file, readTimeout).Skip(1))
            {
                var f = line.Split(',');
                if (f.Length < 9)
                {
                    continue;
                }

                try
                {
                    var step = new StepPoint
                    {
                        Name = f[3], Requests = L(f[4]), Ok = L(f[5]), Fail = L(f[6]), P50Ms = D(f[7]), P99Ms = D(f[8]),
                    };
                    rows.Add((((int)L(f[0]), f[2]), step));
                }
                catch (FormatException)
                {
                    // As for timeseries.csv: a name with a comma shifts the columns; the series is informative only.
                }
            }
        }

        return rows.ToLookup(r => r.Key, r => r.Step);
    }

    private static double D(string t) => double.Parse(t, NumberStyles.Float, CultureInfo.InvariantCulture);

    private static long L(string t) => long.Parse(t, NumberStyles.Integer, CultureInfo.InvariantCulture);
}
