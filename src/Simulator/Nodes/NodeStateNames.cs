using PaySim.Contracts.Control.V1;

namespace PaySim.Simulator.Nodes;

internal static class NodeStateNames
{
    public static string Name(NodeState state) => state switch
    {
        NodeState.Up => "UP",
        NodeState.Down => "DOWN",
        NodeState.NotServing => "NOT_SERVING",
        _ => "UNSPECIFIED",
    };

    /// <summary>The URL verbs of POST /v1/nodes/{name}/{action}.</summary>
    public static bool TryParseAction(string action, out NodeState state)
    {
        state = action.ToLowerInvariant() switch
        {
            "up" or "serving" => NodeState.Up,
            "down" => NodeState.Down,
            "not-serving" => NodeState.NotServing,
            _ => NodeState.Unspecified,
        };
        return state != NodeState.Unspecified;
    }
}
