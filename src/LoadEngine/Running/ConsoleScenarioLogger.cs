namespace PaySim.LoadEngine.Running;

/// <summary>Default logger: warnings and errors to stderr so they never mix into redirected progress on stdout.</summary>
internal sealed class ConsoleScenarioLogger : IScenarioLogger
{
    public static readonly ConsoleScenarioLogger Instance = new();

    public void Debug(string message)
    {
    }

    public void Info(string message) => Console.Error.WriteLine($"info: {message}");

    public void Warn(string message) => Console.Error.WriteLine($"warn: {message}");

    public void Error(string message, Exception? exception = null) =>
        Console.Error.WriteLine(exception is null ? $"error: {message}" : $"error: {message}: {exception.GetType().Name}: {exception.Message}");
}
