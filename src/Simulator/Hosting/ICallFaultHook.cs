using Grpc.Core;

namespace PaySim.Simulator.Hosting;

/// <summary>
/// The fault engine's seat in <see cref="CallInterceptor"/>: it wraps every issuer and SMS call and may
/// delay it, fail it (throw RpcException), replace its reply, or pass it through by calling next.
/// </summary>
internal interface ICallFaultHook
{
    Task<TResponse> InterceptUnaryAsync<TRequest, TResponse>(CallSite site, TRequest request, ServerCallContext context, Func<TRequest, Task<TResponse>> next)
        where TRequest : class
        where TResponse : class;

    Task InterceptStreamingAsync<TRequest>(CallSite site, TRequest request, ServerCallContext context, Func<TRequest, Task> next)
        where TRequest : class;
}
