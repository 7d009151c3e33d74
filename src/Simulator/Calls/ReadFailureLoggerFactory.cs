using Microsoft.Extensions.Logging.Abstractions;

namespace PaySim.Simulator.Calls;

/// <summary>
/// The logger factory of an issuer or SMS node, so that a call grpc-dotnet ends before its handler (a request it
/// cannot read: over the receive size, cut short, not decodable) still counts as a call and an error of its node and
/// method. grpc-dotnet builds one call handler per method, inside <c>ServiceMethodProviderContext.Add…Method</c>, and the
/// handler takes its logger from this factory there: while <see cref="DecodingServiceBinder{TService}"/> binds a method
/// (<see cref="Binding"/>), the handler's logger is a <see cref="ReadFailureLogger"/> on that method's
/// <see cref="CallRoute"/>. It acts only on grpc-dotnet's "ErrorReadingMessage" event, which is written exactly when
/// reading the request failed; a call that reads its request is counted by the <see cref="CallDoor"/> instead.
/// Nothing else is logged (the nodes log nothing), and a successful call pays one <c>IsEnabled</c> check per event.
/// </summary>
internal sealed class ReadFailureLoggerFactory(NodeIdentity node, CallPipeline pipeline) : ILoggerFactory
{
    /// <summary>The category grpc-dotnet's call handlers log under.</summary>
    public const string CallHandlerCategory = "Grpc.AspNetCore.Server.ServerCallHandler";

    private string? _binding;

    /// <summary>The loggers created until the result is disposed belong to <paramref name="method"/>'s call handler.</summary>
    public IDisposable Binding(string method)
    {
        _binding = method;
        return new EndBinding(this);
    }

    public ILogger CreateLogger(string categoryName) =>
        _binding is { } method && string.Equals(categoryName, CallHandlerCategory, StringComparison.Ordinal)
            ? new ReadFailureLogger(new CallRoute(node, pipeline, method))
            : NullLogger.Instance;

    public void AddProvider(ILoggerProvider provider)
    {
        // The nodes log nothing (SimulatorHost clears the providers); a provider added later is not used.
    }

    public void Dispose()
    {
    }

    private sealed class EndBinding(ReadFailureLoggerFactory factory) : IDisposable
    {
        public void Dispose() => factory._binding = null;
    }
}
