using Grpc.Core;

namespace PaySim.Simulator.Calls;

internal sealed class NoCallFaults : ICallFaultHook
{
    public static readonly NoCallFaults Instance = new();

    public Task<TResponse> InterceptUnaryAsync<TRequest, TResponse>(CallSite site, TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
        where TRequest : class
        where TResponse : class => continuation(request, context);

    public Task InterceptStreamingAsync<TRequest, TResponse>(CallSite site, TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
        where TRequest : class
        where TResponse : class => continuation(request, responseStream, context);
}
