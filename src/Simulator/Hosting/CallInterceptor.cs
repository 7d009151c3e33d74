using Grpc.Core;
using Grpc.Core.Interceptors;
using PaySim.Contracts.Issuer.V1;
using PaySim.Contracts.Sms.V1;

namespace PaySim.Simulator.Hosting;

/// <summary>
/// The one door every issuer and SMS call walks through: counts it per node and method, times it,
/// and hands it to the fault hook (no-op unless the fault engine plugs in) before the service runs.
/// </summary>
internal sealed class CallInterceptor(NodeIdentity node, CallPipeline pipeline) : Interceptor
{
    private const string HealthPrefix = "/grpc.health.v1.";

    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        if (context.Method.StartsWith(HealthPrefix, StringComparison.Ordinal))
        {
            return await continuation(request, context).ConfigureAwait(false);
        }

        var method = MethodName(context.Method);
        var counters = pipeline.Metrics.For(node.Name, method);
        Interlocked.Increment(ref counters.Calls);
        var started = pipeline.Time.GetTimestamp();
        try
        {
            var response = await pipeline.Faults
                .InterceptUnaryAsync(new CallSite(node.Name, node.Kind, method), request, context, r => continuation(r, context))
                .ConfigureAwait(false);
            if (context.Status.StatusCode != StatusCode.OK)
            {
                Interlocked.Increment(ref counters.Errors);
            }
            else if (IsDecline(response))
            {
                Interlocked.Increment(ref counters.Declines);
            }

            return response;
        }
        catch
        {
            Interlocked.Increment(ref counters.Errors);
            throw;
        }
        finally
        {
            counters.RecordLatency(pipeline.Time.GetElapsedTime(started));
        }
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        if (context.Method.StartsWith(HealthPrefix, StringComparison.Ordinal))
        {
            await continuation(request, responseStream, context).ConfigureAwait(false);
            return;
        }

        var method = MethodName(context.Method);
        var counters = pipeline.Metrics.For(node.Name, method);
        Interlocked.Increment(ref counters.Calls);
        try
        {
            await pipeline.Faults
                .InterceptStreamingAsync(new CallSite(node.Name, node.Kind, method), request, context, r => continuation(r, responseStream, context))
                .ConfigureAwait(false);
        }
        catch (Exception) when (!context.CancellationToken.IsCancellationRequested)
        {
            Interlocked.Increment(ref counters.Errors);
            throw;
        }
    }

    internal static string MethodName(string fullMethod)
    {
        var slash = fullMethod.LastIndexOf('/');
        return slash >= 0 ? fullMethod[(slash + 1)..] : fullMethod;
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
}
