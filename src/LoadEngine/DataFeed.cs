namespace PaySim.LoadEngine;

public static class DataFeed
{
    /// <summary>Items in order, starting again after the last.</summary>
    public static IDataFeed<T> Circular<T>(IEnumerable<T> items) => new Feeds.CircularFeed<T>(Materialize(items));

    /// <summary>Items drawn uniformly with replacement; the sequence of draws is fixed by <paramref name="seed"/>.</summary>
    public static IDataFeed<T> Random<T>(IEnumerable<T> items, int seed) => new Feeds.RandomFeed<T>(Materialize(items), seed);

    /// <summary>Each item exactly once, then the feed is exhausted (e.g. one-time cardholders).</summary>
    public static IDataFeed<T> Once<T>(IEnumerable<T> items) => new Feeds.OnceFeed<T>(Materialize(items));

    private static T[] Materialize<T>(IEnumerable<T> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        var array = items.ToArray();
        if (array.Length == 0)
        {
            throw new LoadConfigException($"data feed of {typeof(T).Name}: the sequence is empty.");
        }

        return array;
    }
}
