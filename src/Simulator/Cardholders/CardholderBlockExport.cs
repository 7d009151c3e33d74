using System.Buffers;
using System.Text;

namespace PaySim.Simulator.Cardholders;

/// <summary>
/// The export of generated cardholders at full speed: blocks of consecutive indices are derived and
/// formatted on every core (each card depends only on (seed, index)), and written in index order, so
/// the output is byte for byte what <see cref="CardholderExport"/> writes one card at a time. At most
/// a few blocks per core are in flight, so memory stays flat whatever the count.
/// A card is derived into a <see cref="CardholderDraw"/> and formatted by <see cref="CardholderUtf8"/>
/// straight into the block's pooled UTF-8 buffer: no string or object per card.
/// </summary>
internal static class CardholderBlockExport
{
    private const int BlockSize = 4096;

    /// <summary>
    /// Writes the first <paramref name="count"/> cards of <paramref name="persona"/> and <paramref name="locale"/>
    /// (null: any) among indices 0 .. <paramref name="scanLimit"/> − 1, as CSV (with its header) or as JSON
    /// (<c>{"cardholders":[...]}</c>). Observes <paramref name="cancellationToken"/> between blocks (a block is a
    /// few milliseconds), so Ctrl+C ends even a long filtered scan at once with <see cref="OperationCanceledException"/>.
    /// </summary>
    /// <returns>How many rows were written: fewer than <paramref name="count"/> when the scan ended first.</returns>
    public static int Write(Stream output, bool json, CardholderGenerator generator, int count, long scanLimit, Persona? persona, string? locale, int workers, CancellationToken cancellationToken = default)
    {
        Write(output, json ? "{\"cardholders\":[" : CardholderExport.CsvHeader);
        var blocks = (scanLimit + BlockSize - 1) / BlockSize;
        var inFlight = new Queue<Task<Block>>();
        long next = 0;
        var written = 0;
        var window = Math.Max(1, workers) * 2;
        try
        {
            while (written < count)
            {
                cancellationToken.ThrowIfCancellationRequested();
                while (inFlight.Count < window && next < blocks)
                {
                    var from = (int)(next * BlockSize);
                    var size = (int)Math.Min(BlockSize, scanLimit - from);
                    inFlight.Enqueue(Task.Run(() => Format(generator, from, size, persona, locale, json, cancellationToken)));
                    next++;
                }

                if (inFlight.Count == 0)
                {
                    break;
                }

                var block = inFlight.Dequeue().GetAwaiter().GetResult();
                try
                {
                    var rows = Math.Min(block.Rows, count - written);
                    if (rows == 0)
                    {
                        continue;
                    }

                    if (json && written > 0)
                    {
                        output.WriteByte((byte)',');
                    }

                    output.Write(block.Bytes, 0, block.RowEnds[rows - 1]);
                    written += rows;
                }
                finally
                {
                    block.Return();
                }
            }
        }
        finally
        {
            // Blocks formatted past the count (or left by an exception) give their buffers back too.
            while (inFlight.TryDequeue(out var pending))
            {
                pending.ContinueWith(static t => t.Result.Return(), CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
            }
        }

        if (json)
        {
            Write(output, "]}");
        }

        output.Flush();
        return written;
    }

    private static Block Format(CardholderGenerator generator, int from, int size, Persona? persona, string? locale, bool json, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            // Cancelled while queued: no rows (the writer stops before it would write them).
            size = 0;
        }

        // Rows of CSV take about 200 bytes, of JSON about 560: a buffer that fits a typical block, grown if not.
        var bytes = ArrayPool<byte>.Shared.Rent(size * (json ? 640 : 256));
        var ends = ArrayPool<int>.Shared.Rent(size);
        var length = 0;
        var rows = 0;
        var card = default(CardholderDraw);
        for (var i = from; i < from + size; i++)
        {
            generator.Derive(i, ref card);
            if ((persona is not null && card.Persona != persona) || (locale is not null && card.Locale != locale))
            {
                continue;
            }

            var most = CardholderUtf8.MaxBytes(ref card) + 1;
            if (bytes.Length - length < most)
            {
                var larger = ArrayPool<byte>.Shared.Rent(Math.Max(bytes.Length * 2, length + most));
                bytes.AsSpan(0, length).CopyTo(larger);
                ArrayPool<byte>.Shared.Return(bytes);
                bytes = larger;
            }

            if (json)
            {
                // Objects separated by commas, ends just after each object.
                if (rows > 0)
                {
                    bytes[length++] = (byte)',';
                }

                length += CardholderUtf8.WriteJson(ref card, bytes, length);
            }
            else
            {
                length += CardholderUtf8.WriteCsv(ref card, bytes, length);
            }

            ends[rows++] = length;
        }

        return new Block(bytes, ends, rows);
    }

    private static void Write(Stream output, string text) => output.Write(Encoding.UTF8.GetBytes(text));

    /// <summary>A block's formatted rows, and where each row ends in it (bytes); both arrays are rented.</summary>
    private sealed record Block(byte[] Bytes, int[] RowEnds, int Rows)
    {
        public void Return()
        {
            ArrayPool<byte>.Shared.Return(Bytes);
            ArrayPool<int>.Shared.Return(RowEnds);
        }
    }
}
