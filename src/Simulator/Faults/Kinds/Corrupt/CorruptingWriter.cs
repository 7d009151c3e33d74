using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;

namespace PaySim.Simulator.Faults.Kinds.Corrupt;

/// <summary>
/// Holds what grpc-dotnet writes until a whole gRPC frame (1 flag byte, 4 length bytes, the
/// message) is there, then passes it on damaged. Garble keeps the length and fills the message
/// with 0xFF: read as protobuf that is a varint that never ends, so every parser refuses it (an
/// empty message becomes one such byte). Truncate announces the length and sends half of it.
/// </summary>
internal sealed class CorruptingWriter(PipeWriter inner, CorruptMode mode) : PipeWriter
{
    /// <summary>Flag byte and length of a gRPC frame: written alone, an empty message.</summary>
    public const int HeaderLength = 5;

    private readonly ArrayBufferWriter<byte> _pending = new();

    public override void Advance(int bytes) => _pending.Advance(bytes);

    public override Memory<byte> GetMemory(int sizeHint = 0) => _pending.GetMemory(sizeHint);

    public override Span<byte> GetSpan(int sizeHint = 0) => _pending.GetSpan(sizeHint);

    public override void CancelPendingFlush() => inner.CancelPendingFlush();

    public override void Complete(Exception? exception = null)
    {
        PassOnFrames();
        inner.Complete(exception);
    }

    public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
    {
        PassOnFrames();
        return inner.FlushAsync(cancellationToken);
    }

    // Every complete frame goes out damaged; an incomplete one waits for the rest.
    private void PassOnFrames()
    {
        var written = _pending.WrittenSpan;
        var at = 0;
        while (written.Length - at >= HeaderLength)
        {
            var length = (int)BinaryPrimitives.ReadUInt32BigEndian(written.Slice(at + 1, 4));
            if (written.Length - at - HeaderLength < length)
            {
                break;
            }

            Damage(written[at], length);
            at += HeaderLength + length;
        }

        var rest = written[at..].ToArray();
        _pending.Clear();
        _pending.Write(rest);
    }

    private void Damage(byte flag, int length)
    {
        var announced = mode == CorruptMode.Garble ? Math.Max(length, 1) : Math.Max(length, 2);
        var sent = mode == CorruptMode.Garble ? announced : announced / 2;
        var span = inner.GetSpan(HeaderLength + sent);
        span[0] = flag;
        BinaryPrimitives.WriteUInt32BigEndian(span[1..], (uint)announced);
        span.Slice(HeaderLength, sent).Fill(0xFF);
        inner.Advance(HeaderLength + sent);
    }
}
