namespace PaySim.LoadEngine;

/// <summary>Hands items to iterations; thread-safe.</summary>
public interface IDataFeed<T>
{
    /// <summary>The next item; throws <see cref="InvalidOperationException"/> when a Once feed is exhausted.</summary>
    T GetNextItem(IScenarioContext context);

    bool TryGetNextItem(IScenarioContext context, out T item);
}
