using Grpc.Core;
using Grpc.Net.Client;

namespace PaySim.Simulator.Tests.Support;

/// <summary>gRPC calls with the request as raw bytes (a pass-through marshaller), for requests no typed client would send.</summary>
internal static class RawGrpc
{
    private static readonly Marshaller<byte[]> Raw = Marshallers.Create(b => b, b => b);

    /// <summary>Calls <paramref name="service"/>/<paramref name="method"/> with <paramref name="body"/>; the status it failed with, or null when it answered (a stream: its first message).</summary>
    public static async Task<RpcException?> CallAsync(GrpcChannel channel, string service, string method, byte[] body, MethodType type = MethodType.Unary, TimeSpan? deadline = null)
    {
        var m = new Method<byte[], byte[]>(type, service, method, Raw, Raw);
        var options = new CallOptions(deadline: DateTime.UtcNow + (deadline ?? TimeSpan.FromSeconds(10)));
        var invoker = channel.CreateCallInvoker();
        try
        {
            if (type == MethodType.Unary)
            {
                await invoker.AsyncUnaryCall(m, null, options, body);
                return null;
            }

            using var call = invoker.AsyncServerStreamingCall(m, null, options, body);
            await call.ResponseStream.MoveNext();
            return null;
        }
        catch (RpcException e)
        {
            return e;
        }
    }
}
