using PaySim.LoadEngine;

namespace PaySim.LoadTests.Sharding;

/// <summary>One shard's report folder as read back by <c>merge</c>.</summary>
internal sealed record ShardInput(string Folder, RunSummary Summary, ShardSpec Shard, IReadOnlyList<TimeSeriesPoint> TimeSeries);
