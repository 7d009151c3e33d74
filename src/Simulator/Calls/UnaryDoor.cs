using Grpc.Core;

namespace PaySim.Simulator.Calls;

/// <summary>A unary method behind the <see cref="CallDoor"/>: counted, timed, offered to the fault hook.</summary>
internal sealed class UnaryDoor<TRequest, TResponse>(CallRoute route, UnaryServerMethod<TRequest, TResponse> handler)
    where TRequest : class
    where TResponse : class
{
    // Not async: the handlers complete synchronously, and a call that no fault delays then
    // finishes here without a state machine or a second Task. Anything that really waits goes to AwaitAsync.
    public Task<TResponse> Call(TRequest request, ServerCallContext context)
    {
        var (counters, started) = route.Start();
        Task<TResponse> task;
        try
        {
            task = route.Pipeline.Faults.InterceptUnaryAsync(route.Site, request, context, handler);
        }
        catch
        {
            route.Failed(counters, started);
            throw;
        }

        if (!task.IsCompletedSuccessfully)
        {
            return AwaitAsync(task, counters, context, started);
        }

        route.Completed(counters, context, task.Result, started);
        return task;
    }

    private async Task<TResponse> AwaitAsync(Task<TResponse> task, MethodCounters counters, ServerCallContext context, long started)
    {
        TResponse response;
        try
        {
            response = await task.ConfigureAwait(false);
        }
        catch
        {
            route.Failed(counters, started);
            throw;
        }

        route.Completed(counters, context, response, started);
        return response;
    }
}
