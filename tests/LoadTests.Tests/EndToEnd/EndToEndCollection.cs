namespace PaySim.LoadTests.Tests.EndToEnd;

/// <summary>
/// Full runs on the embedded cluster, in two lanes: each lane plays its runs one at a time, and the two lanes run side
/// by side (and beside the quick tests). A run spends most of its wall time waiting (its plan's duration at a low rate,
/// then the settle window), so two at once on 2 cores still leave the harness idle most of the time; more lanes would
/// not. The lanes are balanced by the runs' durations (about 400 s each on CI's 2 cores).
/// </summary>
[CollectionDefinition(Name)]
public sealed class EndToEndCollection
{
    public const string Name = "end-to-end runs";
}

/// <summary>The second lane of <see cref="EndToEndCollection"/>.</summary>
[CollectionDefinition(Name)]
public sealed class EndToEndSecondLane
{
    public const string Name = "end-to-end runs, second lane";
}
