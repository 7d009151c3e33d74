namespace PaySim.Simulator.Ledger;

/// <summary>
/// Values by a sequence number that only grows (the ledger's authorization ids), in fixed-size
/// chunks: no hashing, no node per entry and no rehash of everything as the table grows, which a
/// hash map of millions of holds costs on every call and in every GC. Reads take no lock; writes
/// of distinct numbers may race; growing the directory takes a lock (once per 4,096 numbers).
/// <see cref="Clear"/> forgets everything below the next number, so old ids stay unknown.
/// </summary>
internal sealed class SequenceTable<T>
    where T : class
{
    private const int ChunkBits = 12;
    private const int ChunkSize = 1 << ChunkBits;
    private readonly Lock _grow = new();
    private volatile T?[]?[] _chunks = new T?[]?[16];
    private long _base = 1;

    /// <summary>Counted on demand (only invariants ask): a shared counter would be one more cache line every hold writes.</summary>
    public int Count => Values().Count();

    public void Set(long sequence, T value)
    {
        var index = sequence - Volatile.Read(ref _base);
        ArgumentOutOfRangeException.ThrowIfNegative(index, nameof(sequence));
        var chunk = Chunk(index >> ChunkBits, create: true)!;
        Volatile.Write(ref chunk[index & (ChunkSize - 1)], value);
    }

    public T? Get(long sequence)
    {
        var index = sequence - Volatile.Read(ref _base);
        if (index < 0)
        {
            return null;
        }

        var chunk = Chunk(index >> ChunkBits, create: false);
        return chunk is null ? null : Volatile.Read(ref chunk[index & (ChunkSize - 1)]);
    }

    /// <summary>Every value, in sequence order.</summary>
    public IEnumerable<T> Values()
    {
        foreach (var chunk in _chunks)
        {
            if (chunk is null)
            {
                continue;
            }

            foreach (var value in chunk)
            {
                if (value is not null)
                {
                    yield return value;
                }
            }
        }
    }

    /// <summary>Empties the table; the caller makes sure no <see cref="Set"/> runs meanwhile.</summary>
    public void Clear(long nextSequence)
    {
        lock (_grow)
        {
            _chunks = new T?[]?[16];
            Volatile.Write(ref _base, nextSequence);
        }
    }

    private T?[]? Chunk(long chunkIndex, bool create)
    {
        var chunks = _chunks;
        if (chunkIndex < chunks.Length && chunks[chunkIndex] is { } existing)
        {
            return existing;
        }

        if (!create)
        {
            return null;
        }

        lock (_grow)
        {
            chunks = _chunks;
            if (chunkIndex >= chunks.Length)
            {
                var grown = new T?[]?[Math.Max(chunks.Length * 2, (int)chunkIndex + 1)];
                Array.Copy(chunks, grown, chunks.Length);
                _chunks = chunks = grown;
            }

            return chunks[chunkIndex] ??= new T?[ChunkSize];
        }
    }
}
