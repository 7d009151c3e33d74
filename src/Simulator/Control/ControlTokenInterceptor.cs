using Grpc.Core;
using Grpc.Core.Interceptors;

namespace PaySim.Simulator.Control;

/// <summary>UNAUTHENTICATED for a gRPC call to the control port (any call shape, reflection included) without the right bearer token (health checks stay open).</summary>
internal sealed class ControlTokenInterceptor(ControlToken token) : Interceptor
{
    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        Check(context);
        return continuation(request, context);
    }

    public override Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Check(context);
        return continuation(request, responseStream, context);
    }

    // Reflection (grpc.reflection.v1 ServerReflectionInfo) is a duplex call: every call shape is checked, not only the two
    // the control service uses, or reflection would list the control plane's services without the token.
    public override Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Check(context);
        return continuation(requestStream, context);
    }

    public override Task DuplexStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Check(context);
        return continuation(requestStream, responseStream, context);
    }

    // The request's own header fields, as the HTTP control port reads them: the gRPC metadata drops an empty value sent
    // as a field of its own (curl -H 'authorization;' beside 'authorization: Bearer T'), which would leave the valid one
    // counted once and accepted, while HTTP refuses the pair as the header sent twice.
    private void Check(ServerCallContext context)
    {
        if (token.Required
            && !context.Method.StartsWith("/grpc.health.v1.", StringComparison.Ordinal)
            && token.Refusal([.. context.GetHttpContext().Request.Headers.Authorization], "metadata 'authorization: Bearer <token>'") is { } refusal)
        {
            throw new RpcException(new Status(StatusCode.Unauthenticated, refusal));
        }
    }
}
