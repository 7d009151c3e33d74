using Grpc.Core;

namespace PaySim.Simulator.Calls;

/// <summary>A server-streaming method behind the <see cref="CallDoor"/>: counted and offered to the fault hook (not timed: a stream lasts as long as its caller wants).</summary>
internal sealed class StreamingDoor<TRequest, TResponse>(CallRoute route, ServerStreamingServerMethod<TRequest, TResponse> handler)
    where TRequest : class
    where TResponse : class
{
    public async Task Call(TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context)
    {
        var (counters, _) = route.Start();
        try
        {
            await route.Pipeline.Faults.InterceptStreamingAsync(route.Site, request, responseStream, context, handler).ConfigureAwait(false);
        }
        catch (Exception) when (!context.CancellationToken.IsCancellationRequested)
        {
            counters.AddError();
            throw;
        }
    }
}
