using Grpc.Core;
using Grpc.Core.Interceptors;
using StackExchange.Redis;

namespace PaySim.Simulator.Calls;

/// <summary>
/// No handler exception leaves a simulator port as gRPC <c>UNKNOWN</c>: each one is mapped to the status
/// a client can act on, with a one-line message naming what went wrong. RpcExceptions (faults, validation)
/// pass through untouched. Registered first, so it wraps every other interceptor and the call door.
/// </summary>
internal sealed class ExceptionStatusInterceptor : Interceptor
{
    /// <summary>The longest message put on the wire; a longer one is cut with an ellipsis.</summary>
    public const int MaxDetail = 300;

    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(request, context).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not RpcException)
        {
            throw ToRpc(ex, context.CancellationToken.IsCancellationRequested);
        }
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            await continuation(request, responseStream, context).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not RpcException)
        {
            throw ToRpc(ex, context.CancellationToken.IsCancellationRequested);
        }
    }

    /// <summary>The status an exception maps to; <paramref name="callCancelled"/> when the client went away or its deadline passed.</summary>
    public static RpcException ToRpc(Exception ex, bool callCancelled)
    {
        var code = ex switch
        {
            OperationCanceledException when callCancelled => StatusCode.Cancelled,
            OperationCanceledException => StatusCode.Unavailable,
            RedisConnectionException => StatusCode.Unavailable,
            TimeoutException => StatusCode.Unavailable,
            ObjectDisposedException => StatusCode.Unavailable,
            KeyNotFoundException => StatusCode.NotFound,
            ArgumentException or FormatException or OverflowException => StatusCode.InvalidArgument,
            InvalidOperationException => StatusCode.FailedPrecondition,
            _ => StatusCode.Internal,
        };
        return new RpcException(new Status(code, Detail(ex)));
    }

    private static string Detail(Exception ex)
    {
        var line = $"simulator: {ex.GetType().Name}: {ex.Message}".ReplaceLineEndings(" ");
        return line.Length <= MaxDetail ? line : line[..(MaxDetail - 1)] + "…";
    }
}
