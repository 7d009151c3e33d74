using Grpc.Core;

namespace PaySim.Simulator.Hosting;

internal sealed class NoCallFaults : ICallFaultHook
{
    public static readonly NoCallFaults Instance = new();

    public Task<TResponse> InterceptUnaryAsync<TRequest, TResponse>(CallSite site, TRequest request, ServerCallContext context, Func<TRequest, Task<TResponse>> next)
        where TRequest : class
        where TResponse : class => next(request);

    public Task InterceptStreamingAsync<TRequest>(CallSite site, TRequest request, ServerCallContext context, Func<TRequest, Task> next)
        where TRequest : class => next(request);
}
