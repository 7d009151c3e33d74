namespace PaySim.LoadTests.Plans;

internal enum NodeEventState
{
    Down,
    NotServing,
}
