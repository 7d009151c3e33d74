using System.Buffers.Binary;
using Google.Protobuf;

namespace PaySim.Benchmarks.Tools;

/// <summary>
/// Writes a serialized <c>AuthorizeRequest</c> in a gRPC length-prefixed frame (1 byte
/// compressed flag, 4 bytes big-endian length), the body h2load sends with <c>-d</c>.
/// </summary>
internal sealed class GrpcBody : ITool
{
    public string Name => "grpc-body";

    public string Usage => "--out FILE [--card-token T] [--amount 100] [--currency CNY] [--merchant M] [--idempotency-key K]";

    public IReadOnlyCollection<string> Options { get; } = ["out", .. AuthorizeRequestOptions.Names];

    public async Task<int> RunAsync(ToolArguments args)
    {
        var path = args.RequireString("out");
        var message = AuthorizeRequestOptions.Build(args).ToByteArray();
        var frame = new byte[5 + message.Length];
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1, 4), (uint)message.Length);
        message.CopyTo(frame, 5);
        await File.WriteAllBytesAsync(path, frame);
        Console.WriteLine($"wrote {frame.Length} bytes to {path}");
        return 0;
    }
}
