namespace PaySim.LoadTests.Plans;

internal sealed record NodeEvent(string Node, NodeEventState State, TimeSpan Start, TimeSpan? Duration);
