using Grpc.Core;

namespace PaySim.Simulator.Calls;

/// <summary>
/// The fault engine's seat in <see cref="CallDoor"/>: it wraps every issuer and SMS call and may
/// delay it, fail it (throw RpcException), replace its reply, or pass it through by calling the
/// continuation. The continuation and context are passed as they are (no closure) so a call that no
/// rule touches allocates nothing here.
/// </summary>
internal interface ICallFaultHook
{
    Task<TResponse> InterceptUnaryAsync<TRequest, TResponse>(CallSite site, TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
        where TRequest : class
        where TResponse : class;

    Task InterceptStreamingAsync<TRequest, TResponse>(CallSite site, TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
        where TRequest : class
        where TResponse : class;
}
