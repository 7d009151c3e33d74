namespace PaySim.Simulator.Calls;

/// <summary>A method's call-handler logger (see <see cref="ReadFailureLoggerFactory"/>): counts a call whose request could not be read.</summary>
internal sealed class ReadFailureLogger(CallRoute route) : ILogger
{
    /// <summary>grpc-dotnet's event (Information, id 14) for a request that could not be read; the call then ends with its status.</summary>
    public const string ErrorReadingMessage = "ErrorReadingMessage";

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel == LogLevel.Information;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (string.Equals(eventId.Name, ErrorReadingMessage, StringComparison.Ordinal))
        {
            var (counters, started) = route.Start();
            route.Failed(counters, started);
        }
    }
}
