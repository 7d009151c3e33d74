using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.AspNetCore.Server.Model;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace PaySim.Simulator.Calls;

/// <summary>
/// Request bytes that are no valid message of the method's request type answer <c>INVALID_ARGUMENT</c>
/// ("request is not a valid paysim.issuer.v1.AuthorizeRequest: …"), not grpc-dotnet's <c>UNKNOWN</c>
/// "Exception was thrown by handler.": grpc-dotnet decodes the request before any interceptor runs, so
/// <see cref="ExceptionStatusInterceptor"/> never sees the parser's exception. <see cref="Use"/> replaces
/// grpc-dotnet's method provider with <see cref="DecodingServiceMethodProvider{TService}"/> for every service
/// of the app (ours, health, reflection), which binds each method with a request marshaller that maps the
/// parser's failure. A successful call costs one more delegate call, nothing else.
/// </summary>
internal static class RequestDecoding
{
    /// <summary>After <c>AddGrpc</c>: every gRPC service of this app decodes its requests through <see cref="Decoding{T}"/>.</summary>
    public static void Use(IServiceCollection services)
    {
        services.RemoveAll(typeof(IServiceMethodProvider<>));
        services.AddSingleton(typeof(IServiceMethodProvider<>), typeof(DecodingServiceMethodProvider<>));
    }

    /// <summary><paramref name="method"/> with a request deserializer that turns a parser failure into <c>INVALID_ARGUMENT</c>.</summary>
    public static Method<TRequest, TResponse> Decoding<TRequest, TResponse>(Method<TRequest, TResponse> method)
        where TRequest : class
        where TResponse : class
    {
        var inner = method.RequestMarshaller.ContextualDeserializer;
        var prefix = $"request is not a valid {MessageName(typeof(TRequest))}: ";
        var marshaller = Marshallers.Create(method.RequestMarshaller.ContextualSerializer, context =>
        {
            try
            {
                return inner(context);
            }
            catch (Exception e) when (e is not RpcException)
            {
                throw new RpcException(new Status(StatusCode.InvalidArgument, Detail(prefix, e)));
            }
        });
        return new Method<TRequest, TResponse>(method.Type, method.ServiceName, method.Name, marshaller, method.ResponseMarshaller);
    }

    private static string Detail(string prefix, Exception e)
    {
        var line = (prefix + e.Message).ReplaceLineEndings(" ");
        return line.Length <= ExceptionStatusInterceptor.MaxDetail ? line : line[..(ExceptionStatusInterceptor.MaxDetail - 1)] + "…";
    }

    /// <summary>The protobuf name of a generated message type (<c>paysim.issuer.v1.AuthorizeRequest</c>), else its CLR name.</summary>
    private static string MessageName(Type type) =>
        type.GetProperty("Descriptor", System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)?.GetValue(null) is MessageDescriptor d
            ? d.FullName
            : typeof(IMessage).IsAssignableFrom(type) ? type.FullName ?? type.Name : type.Name;
}
