using System.Text;
using System.Text.Json;

namespace PaySim.Simulator.Cardholders;

/// <summary>
/// The export of generated cardholders at full speed: blocks of consecutive indices are derived and
/// formatted on every core (each card depends only on (seed, index)), and written in index order, so
/// the output is byte for byte what <see cref="CardholderExport"/> writes one card at a time. At most
/// a few blocks per core are in flight, so memory stays flat whatever the count.
/// </summary>
internal static class CardholderBlockExport
{
    private const int BlockSize = 4096;

    /// <summary>
    /// Writes the first <paramref name="count"/> cards that <paramref name="keep"/> accepts among indices
    /// 0 .. <paramref name="scanLimit"/> − 1, as CSV (with its header) or as JSON (<c>{"cardholders":[...]}</c>).
    /// </summary>
    public static void Write(Stream output, bool json, CardholderGenerator generator, int count, long scanLimit, Func<CardholderRecord, bool>? keep, int workers)
    {
        Write(output, json ? "{\"cardholders\":[" : CardholderExport.CsvHeader);
        var blocks = (scanLimit + BlockSize - 1) / BlockSize;
        var inFlight = new Queue<Task<Block>>();
        long next = 0;
        var written = 0;
        var window = Math.Max(1, workers) * 2;
        while (written < count)
        {
            while (inFlight.Count < window && next < blocks)
            {
                var from = (int)(next * BlockSize);
                var size = (int)Math.Min(BlockSize, scanLimit - from);
                inFlight.Enqueue(Task.Run(() => Format(generator, from, size, keep, json)));
                next++;
            }

            if (inFlight.Count == 0)
            {
                break;
            }

            var block = inFlight.Dequeue().GetAwaiter().GetResult();
            var rows = Math.Min(block.RowEnds.Length, count - written);
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

        if (json)
        {
            Write(output, "]}");
        }

        output.Flush();
    }

    private static Block Format(CardholderGenerator generator, int from, int size, Func<CardholderRecord, bool>? keep, bool json)
    {
        var ends = new List<int>(size);
        if (json)
        {
            // Objects separated by commas (a JSON writer's own separators), ends just after each object.
            var buffer = new MemoryStream(size * 512);
            long skip;
            using (var writer = new Utf8JsonWriter(buffer, CardholderExport.JsonOptions with { SkipValidation = true }))
            {
                writer.WriteStartArray();
                writer.Flush();
                skip = buffer.Length;
                for (var i = from; i < from + size; i++)
                {
                    var c = generator.Generate(i);
                    if (keep is null || keep(c))
                    {
                        CardholderExport.WriteJsonObject(writer, c);
                        writer.Flush();
                        ends.Add((int)(buffer.Length - skip));
                    }
                }
            }

            // Drop the leading '[' the writer needed to put commas between the objects.
            var body = buffer.GetBuffer().AsSpan((int)skip, ends.Count == 0 ? 0 : ends[^1]).ToArray();
            return new Block(body, [.. ends]);
        }

        var sb = new StringBuilder(size * 192);
        var charEnds = new List<int>(size);
        for (var i = from; i < from + size; i++)
        {
            var c = generator.Generate(i);
            if (keep is null || keep(c))
            {
                CardholderExport.AppendCsvRow(sb, c);
                charEnds.Add(sb.Length);
            }
        }

        var text = sb.ToString();
        var utf8 = Encoding.UTF8.GetBytes(text);
        var byteEnds = new int[charEnds.Count];
        int previousChars = 0, previousBytes = 0;
        for (var r = 0; r < byteEnds.Length; r++)
        {
            previousBytes += Encoding.UTF8.GetByteCount(text.AsSpan(previousChars, charEnds[r] - previousChars));
            previousChars = charEnds[r];
            byteEnds[r] = previousBytes;
        }

        return new Block(utf8, byteEnds);
    }

    private static void Write(Stream output, string text) => output.Write(Encoding.UTF8.GetBytes(text));

    /// <summary>A block's formatted rows, and where each row ends in it (bytes).</summary>
    private sealed record Block(byte[] Bytes, int[] RowEnds);
}
