namespace PaySim.LoadEngine;

/// <summary>
/// A deliberately tiny logger: Microsoft.Extensions.Logging is not part of the base shared
/// framework, and the engine should not force it on callers. Adapt an ILogger in one line.
/// </summary>
public interface IScenarioLogger
{
    void Debug(string message);

    void Info(string message);

    void Warn(string message);

    void Error(string message, Exception? exception = null);
}
