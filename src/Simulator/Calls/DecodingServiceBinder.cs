using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using Grpc.AspNetCore.Server.Model;
using Grpc.Core;
using Microsoft.AspNetCore.Routing;

namespace PaySim.Simulator.Calls;

/// <summary>
/// What a generated <c>BindService</c> is called with: each method goes to the context with its request decoded by
/// <see cref="RequestDecoding.Decoding{TRequest, TResponse}"/>, and the service's own override as the invoker (the
/// handler the generated code passes is null, as with grpc-dotnet's binder: the service is created per call by DI).
/// </summary>
internal sealed class DecodingServiceBinder<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.All)] TService>(
    ServiceMethodProviderContext<TService> context, Type baseType, ReadFailureLoggerFactory? counted) : ServiceBinderBase
    where TService : class
{
    public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, UnaryServerMethod<TRequest, TResponse>? handler)
    {
        var invoker = Invoker<UnaryServerMethod<TService, TRequest, TResponse>>(method.Name, typeof(TRequest), typeof(ServerCallContext));
        using var _ = counted?.Binding(method.Name);
        context.AddUnaryMethod(RequestDecoding.Decoding(method), Metadata(method.Name, typeof(TRequest), typeof(ServerCallContext)), invoker);
    }

    public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ServerStreamingServerMethod<TRequest, TResponse>? handler)
    {
        Type[] parameters = [typeof(TRequest), typeof(IServerStreamWriter<TResponse>), typeof(ServerCallContext)];
        var invoker = Invoker<ServerStreamingServerMethod<TService, TRequest, TResponse>>(method.Name, parameters);
        using var _ = counted?.Binding(method.Name);
        context.AddServerStreamingMethod(RequestDecoding.Decoding(method), Metadata(method.Name, parameters), invoker);
    }

    public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ClientStreamingServerMethod<TRequest, TResponse>? handler)
    {
        Type[] parameters = [typeof(IAsyncStreamReader<TRequest>), typeof(ServerCallContext)];
        var invoker = Invoker<ClientStreamingServerMethod<TService, TRequest, TResponse>>(method.Name, parameters);
        using var _ = counted?.Binding(method.Name);
        context.AddClientStreamingMethod(RequestDecoding.Decoding(method), Metadata(method.Name, parameters), invoker);
    }

    public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, DuplexStreamingServerMethod<TRequest, TResponse>? handler)
    {
        Type[] parameters = [typeof(IAsyncStreamReader<TRequest>), typeof(IServerStreamWriter<TResponse>), typeof(ServerCallContext)];
        var invoker = Invoker<DuplexStreamingServerMethod<TService, TRequest, TResponse>>(method.Name, parameters);
        using var _ = counted?.Binding(method.Name);
        context.AddDuplexStreamingMethod(RequestDecoding.Decoding(method), Metadata(method.Name, parameters), invoker);
    }

    private TDelegate Invoker<TDelegate>(string name, params Type[] parameters)
        where TDelegate : Delegate =>
        (TDelegate)Delegate.CreateDelegate(typeof(TDelegate), Handler(name, parameters));

    /// <summary>The service's override of the generated base type's method (what grpc-dotnet's binder looks for).</summary>
    private MethodInfo Handler(string name, Type[] parameters) =>
        typeof(TService).GetMethod(name, BindingFlags.Public | BindingFlags.Instance, parameters) is { IsVirtual: true } m && m.GetBaseDefinition().DeclaringType == baseType
            ? m
            : throw new InvalidOperationException($"gRPC service {typeof(TService).Name} does not override {baseType.Name}.{name}");

    /// <summary>As grpc-dotnet's binder: the service type's attributes, then the method's, then POST (with CORS preflight).</summary>
    private List<object> Metadata(string name, params Type[] parameters)
    {
        var metadata = new List<object>(typeof(TService).GetCustomAttributes(inherit: true));
        metadata.AddRange(Handler(name, parameters).GetCustomAttributes(inherit: true));
        metadata.Add(new HttpMethodMetadata(["POST"], acceptCorsPreflight: true));
        return metadata;
    }
}
