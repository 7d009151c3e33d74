using System.Text.Json.Nodes;

namespace PaySim.LoadTests.Plans;

/// <summary>A fault-engine rule applied at <see cref="Start"/> and cleared after <see cref="Duration"/> (null = until the end).</summary>
internal sealed record TimedFaultRule(string Name, TimeSpan Start, TimeSpan? Duration, JsonObject Rule);
