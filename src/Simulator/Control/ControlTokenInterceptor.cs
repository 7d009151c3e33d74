using Grpc.Core;
using Grpc.Core.Interceptors;

namespace PaySim.Simulator.Control;

/// <summary>UNAUTHENTICATED for a gRPC control call without the right bearer token (health checks stay open).</summary>
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

    private void Check(ServerCallContext context)
    {
        var authorization = context.RequestHeaders.GetValue("authorization");
        if (token.Required
            && !context.Method.StartsWith("/grpc.health.v1.", StringComparison.Ordinal)
            && !token.Accepts(authorization))
        {
            throw new RpcException(new Status(StatusCode.Unauthenticated, ControlToken.Refusal(authorization, "metadata 'authorization: Bearer <token>'")));
        }
    }
}
