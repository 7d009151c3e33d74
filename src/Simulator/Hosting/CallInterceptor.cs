using Grpc.Core;
using Grpc.Core.Interceptors;
using PaySim.Contracts.Issuer.V1;
using PaySim.Contracts.Sms.V1;

namespace PaySim.Simulator.Hosting;

/// <summary>
/// The one door every issuer and SMS call walks through: counts it per node and method, times it,
/// and hands it to the fault hook (no-op unless the fault engine plugs in) before the service runs.
/// One instance per node (a DI singleton), so the per-method lookups are cached across calls.
/// </summary>
internal sealed class CallInterceptor(NodeIdentity node, CallPipeline pipeline) : Interceptor
{
    private const string HealthPrefix = "/grpc.health.v1.";
    private MethodEntry[] _methods = [];

    // Not async: the issuer's handlers complete synchronously, and a call that no fault delays then
    // finishes here without a state machine or a second Task. Anything that really waits goes to AwaitAsync.
    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        var entry = Entry(context.Method);
        if (entry.IsHealth)
        {
            return continuation(request, context);
        }

        var counters = entry.Counters;
        Interlocked.Increment(ref counters.Calls);
        var started = pipeline.Time.GetTimestamp();
        Task<TResponse> task;
        try
        {
            task = pipeline.Faults.InterceptUnaryAsync(entry.Site, request, context, continuation);
        }
        catch
        {
            Failed(counters, started);
            throw;
        }

        if (!task.IsCompletedSuccessfully)
        {
            return AwaitAsync(task, counters, context, started);
        }

        Completed(counters, context, task.Result, started);
        return task;
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        var entry = Entry(context.Method);
        if (entry.IsHealth)
        {
            await continuation(request, responseStream, context).ConfigureAwait(false);
            return;
        }

        var counters = entry.Counters;
        Interlocked.Increment(ref counters.Calls);
        try
        {
            await pipeline.Faults
                .InterceptStreamingAsync(entry.Site, request, responseStream, context, continuation)
                .ConfigureAwait(false);
        }
        catch (Exception) when (!context.CancellationToken.IsCancellationRequested)
        {
            Interlocked.Increment(ref counters.Errors);
            throw;
        }
    }

    private async Task<TResponse> AwaitAsync<TResponse>(Task<TResponse> task, MethodCounters counters, ServerCallContext context, long started)
    {
        TResponse response;
        try
        {
            response = await task.ConfigureAwait(false);
        }
        catch
        {
            Failed(counters, started);
            throw;
        }

        Completed(counters, context, response, started);
        return response;
    }

    private void Completed(MethodCounters counters, ServerCallContext context, object? response, long started)
    {
        if (context.Status.StatusCode != StatusCode.OK)
        {
            Interlocked.Increment(ref counters.Errors);
        }
        else if (response is not null && IsDecline(response))
        {
            Interlocked.Increment(ref counters.Declines);
        }

        counters.RecordLatency(pipeline.Time.GetElapsedTime(started));
    }

    private void Failed(MethodCounters counters, long started)
    {
        Interlocked.Increment(ref counters.Errors);
        counters.RecordLatency(pipeline.Time.GetElapsedTime(started));
    }

    internal static string MethodName(string fullMethod)
    {
        var slash = fullMethod.LastIndexOf('/');
        return slash >= 0 ? fullMethod[(slash + 1)..] : fullMethod;
    }

    // A linear scan of a handful of methods by their path (the request path: a new string on
    // every call, so equal by content, not by reference); a stats reset bumps the generation.
    private MethodEntry Entry(string fullMethod)
    {
        var generation = pipeline.Metrics.Generation;
        var methods = Volatile.Read(ref _methods);
        foreach (var m in methods)
        {
            if (m.Generation == generation && string.Equals(m.FullMethod, fullMethod, StringComparison.Ordinal))
            {
                return m;
            }
        }

        return Add(fullMethod, generation);
    }

    private MethodEntry Add(string fullMethod, int generation)
    {
        var isHealth = fullMethod.StartsWith(HealthPrefix, StringComparison.Ordinal);
        var method = MethodName(fullMethod);
        var entry = new MethodEntry(
            fullMethod,
            generation,
            isHealth,
            new CallSite(node.Name, node.Kind, method),
            isHealth ? null! : pipeline.Metrics.For(node.Name, method));
        while (true)
        {
            var current = Volatile.Read(ref _methods);
            var next = current.Where(m => !string.Equals(m.FullMethod, fullMethod, StringComparison.Ordinal)).Append(entry).ToArray();
            if (ReferenceEquals(Interlocked.CompareExchange(ref _methods, next, current), current))
            {
                return entry;
            }
        }
    }

    private static bool IsDecline(object response) => response switch
    {
        StartBindingReply r => r.ResponseCode != "00",
        ConfirmBindingReply r => r.ResponseCode != "00",
        ResendOtpReply r => r.ResponseCode != "00",
        AuthorizeReply r => r.ResponseCode != "00",
        CaptureReply r => r.ResponseCode != "00",
        RefundReply r => r.ResponseCode != "00",
        SendReply r => !r.Accepted,
        _ => false,
    };

    private sealed record MethodEntry(string FullMethod, int Generation, bool IsHealth, CallSite Site, MethodCounters Counters);
}
