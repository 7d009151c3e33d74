namespace PaySim.LoadTests.Tests.Reporting;

/// <summary>One Point line of a <c>--out json=</c> file.</summary>
internal sealed record K6Point(string Metric, DateTimeOffset Time, double Value, IReadOnlyDictionary<string, string> Tags);
