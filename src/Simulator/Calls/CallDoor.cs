using Grpc.Core;

namespace PaySim.Simulator.Calls;

/// <summary>
/// The one door every issuer and SMS call walks through: each service method is bound to a
/// <see cref="UnaryDoor{TRequest, TResponse}"/> (or <see cref="StreamingDoor{TRequest, TResponse}"/>)
/// that counts the call per node and method, times it, and hands it to the fault hook before the
/// handler runs. One per node (a DI singleton).
/// <para>
/// Not a grpc-dotnet <c>Interceptor</c>: its per-call pipeline (two async state machines, an
/// activator and a request-services lookup per call) cost about 8% of a node's throughput under
/// h2load, and the method's name had to be parsed from the request path on every call. Here the
/// route (node, method, counters) is resolved once, when the service is built.
/// </para>
/// </summary>
internal sealed class CallDoor(NodeIdentity node, CallPipeline pipeline)
{
    public UnaryDoor<TRequest, TResponse> Unary<TRequest, TResponse>(string method, UnaryServerMethod<TRequest, TResponse> handler)
        where TRequest : class
        where TResponse : class =>
        new(new CallRoute(node, pipeline, method), handler);

    public StreamingDoor<TRequest, TResponse> Streaming<TRequest, TResponse>(string method, ServerStreamingServerMethod<TRequest, TResponse> handler)
        where TRequest : class
        where TResponse : class =>
        new(new CallRoute(node, pipeline, method), handler);
}
