using System.Runtime.CompilerServices;

namespace PaySim.Simulator.Ledger;

/// <summary>
/// The in-memory ledger's holds by sequence number, kept where the garbage collector does not look.
/// A row is a struct without references, in fixed-size chunks; its texts (merchant, order reference,
/// idempotency key, card token) are characters copied into shared chunks of their own, and its node is
/// an index into the few node names. A node under load keeps
/// millions of holds: as one object and three strings each, every hold was promoted through the GC
/// generations and traced at every full collection, which cost a node about 8% of its requests per
/// second (measured with h2load, docs/benchmarks.md). Here a hold allocates nothing but, now and then,
/// a chunk.
/// <para>
/// Rows are written once, by <see cref="Add"/>, under the lock of the account they move money on;
/// after that only their <see cref="Row.Captured"/>, <see cref="Row.Released"/> and <see cref="Row.Refunded"/>
/// change, under the same lock. <see cref="Find"/> takes no lock. A reset replaces the whole table, so a table only grows.
/// </para>
/// </summary>
internal sealed class AuthorizationTable(long firstSequence)
{
    // 1,024 rows of 72 bytes and 32,768 characters: both below the 85,000-byte large-object threshold.
    // (Chunks on the pinned-object or large-object heap count against generation 2's budget: at
    // 90,000 holds a second that meant full collections often enough to cost 6% of throughput.)
    private const int ChunkBits = 10;
    private const int ChunkSize = 1 << ChunkBits;
    private const int TextChunkChars = 32_768;

    private readonly Lock _grow = new();
    private volatile Row[]?[] _chunks = new Row[]?[16];
    private volatile char[][] _texts = [new char[TextChunkChars]];
    private volatile TextCursor _cursor = new(0, TextChunkChars);
    private volatile string[] _nodes = [];

    /// <summary>The lowest sequence number this table holds; lower ones belong to an earlier table.</summary>
    public long FirstSequence { get; } = firstSequence;

    /// <summary>Records a hold; each sequence number once. <paramref name="account"/> is the caller's index of the account (0 or more).</summary>
    public void Add(long sequence, int account, in HoldRequest hold)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(account);
        var index = sequence - FirstSequence;
        ArgumentOutOfRangeException.ThrowIfNegative(index, nameof(sequence));
        ref var row = ref Chunk(index >> ChunkBits, create: true)![index & (ChunkSize - 1)];
        if (row.AccountSlot != 0)
        {
            throw new InvalidOperationException($"sequence {sequence} is already recorded");
        }

        var merchant = hold.MerchantId ?? "";
        var order = hold.OrderReference ?? "";
        var key = hold.IdempotencyKey ?? "";
        var token = hold.CardToken ?? "";
        var length = merchant.Length + order.Length + key.Length + token.Length;
        if (length > 0)
        {
            var (chunk, offset, chars) = Reserve(length);
            var span = chars.AsSpan(offset, length);
            merchant.CopyTo(span);
            order.CopyTo(span[merchant.Length..]);
            key.CopyTo(span[(merchant.Length + order.Length)..]);
            token.CopyTo(span[(merchant.Length + order.Length + key.Length)..]);
            row.TextChunk = chunk;
            row.TextOffset = offset;
        }

        row.Amount = hold.AmountMinor;
        row.CreatedUnixMs = hold.CreatedUnixMs;
        row.NodeSlot = NodeSlot(hold.Node);
        row.MerchantLength = merchant.Length;
        row.OrderLength = order.Length;
        row.KeyLength = key.Length;
        row.TokenLength = token.Length;
        // Published last: a reader that sees the account sees the whole row.
        Volatile.Write(ref row.AccountSlot, account + 1);
    }

    /// <summary>The row of a recorded hold, or a null reference (test with <see cref="Unsafe.IsNullRef{T}(ref readonly T)"/>).</summary>
    public ref Row Find(long sequence)
    {
        var index = sequence - FirstSequence;
        if (index < 0)
        {
            return ref Unsafe.NullRef<Row>();
        }

        var chunk = Chunk(index >> ChunkBits, create: false);
        if (chunk is null)
        {
            return ref Unsafe.NullRef<Row>();
        }

        ref var row = ref chunk[index & (ChunkSize - 1)];
        return ref Volatile.Read(ref row.AccountSlot) == 0 ? ref Unsafe.NullRef<Row>() : ref row;
    }

    /// <summary>Every recorded hold in sequence order; the caller keeps <see cref="Add"/> from running meanwhile.</summary>
    public RowEnumerator Rows() => new(this);

    public string MerchantId(in Row row) => Text(row, 0, row.MerchantLength);

    public string OrderReference(in Row row) => Text(row, row.MerchantLength, row.OrderLength);

    public string IdempotencyKey(in Row row) => Text(row, row.MerchantLength + row.OrderLength, row.KeyLength);

    public string CardToken(in Row row) => Text(row, row.MerchantLength + row.OrderLength + row.KeyLength, row.TokenLength);

    /// <summary>The node that approved the hold; the same string instance for every row of that node.</summary>
    public string Node(in Row row) => row.NodeSlot == 0 ? "" : _nodes[row.NodeSlot - 1];

    private string Text(in Row row, int skip, int length) =>
        length == 0 ? "" : new string(_texts[row.TextChunk], row.TextOffset + skip, length);

    // Space for one hold's texts: one atomic add on the current chunk, a lock only to start a new one.
    // A text longer than a chunk gets a chunk of its own size.
    private (int Chunk, int Offset, char[] Chars) Reserve(int length)
    {
        while (true)
        {
            var cursor = _cursor;
            var end = Interlocked.Add(ref cursor.Used, length);
            if (end <= cursor.Capacity)
            {
                return (cursor.Chunk, (int)(end - length), _texts[cursor.Chunk]);
            }

            lock (_grow)
            {
                if (_cursor == cursor)
                {
                    var capacity = Math.Max(TextChunkChars, length);
                    var texts = _texts;
                    var grown = new char[texts.Length + 1][];
                    Array.Copy(texts, grown, texts.Length);
                    grown[^1] = new char[capacity];
                    _texts = grown;
                    _cursor = new TextCursor(texts.Length, capacity);
                }
            }
        }
    }

    // Nodes are few: each row keeps the index of its node's name, not a copy of it. A new name is
    // appended under the lock; readers see either the old array or the new one, both valid.
    private int NodeSlot(string? node)
    {
        if (string.IsNullOrEmpty(node))
        {
            return 0;
        }

        var nodes = _nodes;
        for (var i = 0; i < nodes.Length; i++)
        {
            if (ReferenceEquals(nodes[i], node) || string.Equals(nodes[i], node, StringComparison.Ordinal))
            {
                return i + 1;
            }
        }

        lock (_grow)
        {
            nodes = _nodes;
            var known = Array.IndexOf(nodes, node);
            if (known >= 0)
            {
                return known + 1;
            }

            _nodes = [.. nodes, node];
            return nodes.Length + 1;
        }
    }

    private Row[]? Chunk(long chunkIndex, bool create)
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
                var grown = new Row[]?[Math.Max(chunks.Length * 2, (int)chunkIndex + 1)];
                Array.Copy(chunks, grown, chunks.Length);
                _chunks = chunks = grown;
            }

            return chunks[chunkIndex] ??= new Row[ChunkSize];
        }
    }

    /// <summary>One hold. Amounts in minor units; texts are read through the table.</summary>
    internal struct Row
    {
        public long Amount;
        public long Captured;
        public long Released;
        public long Refunded;
        public long CreatedUnixMs;

        // The account's index plus one: 0 marks a row not written yet.
        internal int AccountSlot;
        internal int NodeSlot;
        internal int TextChunk;
        internal int TextOffset;
        internal int MerchantLength;
        internal int OrderLength;
        internal int KeyLength;
        internal int TokenLength;

        public readonly int Account => AccountSlot - 1;
    }

    /// <summary><c>for (var rows = table.Rows(); rows.MoveNext();)</c>, with <see cref="Current"/> by reference.</summary>
    internal struct RowEnumerator(AuthorizationTable table)
    {
        private readonly Row[]?[] _chunks = table._chunks;
        private long _index = -1;

        public readonly long Sequence => table.FirstSequence + _index;

        public readonly ref Row Current => ref _chunks[_index >> ChunkBits]![_index & (ChunkSize - 1)];

        public bool MoveNext()
        {
            while (++_index < (long)_chunks.Length << ChunkBits)
            {
                var chunk = _chunks[_index >> ChunkBits];
                if (chunk is null)
                {
                    _index |= ChunkSize - 1;
                    continue;
                }

                if (Volatile.Read(ref chunk[_index & (ChunkSize - 1)].AccountSlot) != 0)
                {
                    return true;
                }
            }

            return false;
        }
    }

    private sealed class TextCursor(int chunk, int capacity)
    {
        public readonly int Chunk = chunk;
        public readonly int Capacity = capacity;
        public long Used;
    }
}
