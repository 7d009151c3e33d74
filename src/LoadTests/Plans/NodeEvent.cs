namespace PaySim.LoadTests.Plans;

/// <summary>
/// An issuer node (<see cref="NodeEventState.Down"/>, <see cref="NodeEventState.NotServing"/>) or a wallet instance
/// (<see cref="NodeEventState.Crash"/>, <see cref="NodeEventState.Freeze"/>) failed at <see cref="Start"/> for <see cref="Duration"/>.
/// </summary>
internal sealed record NodeEvent(string Node, NodeEventState State, TimeSpan Start, TimeSpan? Duration)
{
    /// <summary>True when <see cref="Node"/> names a wallet instance: the two kinds have disjoint states.</summary>
    public bool IsWallet => State is NodeEventState.Crash or NodeEventState.Freeze;
}
