using Grpc.Core;

namespace PaySim.Simulator.Faults;

/// <summary>
/// A call a terminal rule acts on, as <see cref="IFaultKind.InterveneAsync"/> sees it: the decision,
/// the gRPC context, and the handler to run when the kind lets the call through (reset after,
/// corrupt). Built by the call hook only for calls with a terminal action.
/// </summary>
internal abstract class FaultCall(string node, FaultDecision decision, ServerCallContext context, TimeProvider time)
{
    public string Node { get; } = node;

    public FaultDecision Decision { get; } = decision;

    public ServerCallContext Context { get; } = context;

    public TimeProvider Time { get; } = time;

    /// <summary>What the journal records for the call ("UNAVAILABLE", "hang", "reset after", ...); "OK" until a kind says otherwise.</summary>
    public string Outcome { get; set; } = "OK";

    /// <summary>The reply type of the method (object for a server stream, which has no single reply).</summary>
    public abstract Type ResponseType { get; }

    /// <summary>Runs the handler (for a stream: until it ends) and returns its reply.</summary>
    public abstract Task<object> ProceedAsync();
}
