namespace PaySim.LoadTests.Plans;

/// <summary>
/// An issuer node (<see cref="NodeEventState.Down"/>, <see cref="NodeEventState.NotServing"/>) or a wallet instance
/// (<see cref="NodeEventState.Crash"/>, <see cref="NodeEventState.Freeze"/>) failed at <see cref="Start"/> for <see cref="Duration"/>.
/// </summary>
internal sealed record NodeEvent(string Node, NodeEventState State, TimeSpan Start, TimeSpan? Duration)
{
    /// <summary>
    /// The plan's <c>"node": "seeded"</c>: an issuer node the run's seed picks (<see cref="NodeEventCompiler.Pick"/>), so a
    /// wallet wired to some nodes only cannot pass by luck of which one a plan names. <see cref="Node"/> is this word until
    /// the target's nodes are known, then the picked node's name, with <see cref="Seeded"/> still set.
    /// </summary>
    public const string SeededNode = "seeded";

    /// <summary>True when the seed picked <see cref="Node"/> (<see cref="SeededNode"/> in the plan).</summary>
    public bool Seeded { get; init; }

    /// <summary>A seeded event whose node is not picked yet (an external target's nodes are known once it is reached).</summary>
    public bool AwaitsPick => Seeded && Node == SeededNode;

    /// <summary>True when <see cref="Node"/> names a wallet instance: the two kinds have disjoint states.</summary>
    public bool IsWallet => State is NodeEventState.Crash or NodeEventState.Freeze;
}
