using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using Grpc.AspNetCore.Server.Model;
using Grpc.Core;

namespace PaySim.Simulator.Calls;

/// <summary>
/// Binds a generated gRPC service as grpc-dotnet's own provider does (the <c>BindService</c> the generated base type
/// names), but through <see cref="DecodingServiceBinder{TService}"/>, so every request is decoded by
/// <see cref="RequestDecoding.Decoding{TRequest, TResponse}"/>. On a node whose logger factory is a
/// <see cref="ReadFailureLoggerFactory"/>, the simulator's own services (those the <see cref="CallDoor"/> counts) are
/// bound while that factory names the method, so a call that fails before its handler is counted on the method.
/// </summary>
internal sealed class DecodingServiceMethodProvider<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.All)] TService>(ILoggerFactory loggers) : IServiceMethodProvider<TService>
    where TService : class
{
    public void OnServiceMethodDiscovery(ServiceMethodProviderContext<TService> context)
    {
        var bind = FindBindMethod(typeof(TService))
            ?? throw new InvalidOperationException($"gRPC service {typeof(TService).Name} has no generated BindService method");
        var counted = typeof(TService).Assembly == typeof(CallDoor).Assembly ? loggers as ReadFailureLoggerFactory : null;
        var binder = new DecodingServiceBinder<TService>(context, bind.GetParameters()[1].ParameterType, counted);
        bind.Invoke(null, [binder, null]);
    }

    /// <summary>The static <c>BindService(ServiceBinderBase, XBase)</c> that the <c>[BindServiceMethod]</c> of a base type names.</summary>
    private static MethodInfo? FindBindMethod(Type service)
    {
        for (var type = service; type is not null; type = type.BaseType)
        {
            if (type.GetCustomAttribute<BindServiceMethodAttribute>(inherit: false) is { } attribute)
            {
                return attribute.BindType.GetMethod(attribute.BindMethodName, BindingFlags.Public | BindingFlags.Static, [typeof(ServiceBinderBase), type]);
            }
        }

        return null;
    }
}
