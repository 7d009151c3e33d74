using System.IO.Pipelines;
using Microsoft.AspNetCore.Http.Features;

namespace PaySim.Simulator.Faults.Kinds.Corrupt;

/// <summary>
/// The response body of one corrupted call: grpc-dotnet writes its reply frames here as usual, and
/// they reach Kestrel damaged (<see cref="CorruptingWriter"/>). Headers, trailers and the grpc-status
/// pass untouched: to the server the call succeeded, only the bytes on the wire are wrong.
/// </summary>
internal sealed class CorruptingBody(IHttpResponseBodyFeature inner, CorruptMode mode) : IHttpResponseBodyFeature
{
    private CorruptingWriter? _writer;
    private Stream? _stream;

    public PipeWriter Writer => _writer ??= new CorruptingWriter(inner.Writer, mode);

    public Stream Stream => _stream ??= Writer.AsStream(leaveOpen: true);

    public void DisableBuffering() => inner.DisableBuffering();

    public Task StartAsync(CancellationToken cancellationToken = default) => inner.StartAsync(cancellationToken);

    public Task SendFileAsync(string path, long offset, long? count, CancellationToken cancellationToken = default) =>
        inner.SendFileAsync(path, offset, count, cancellationToken);

    public async Task CompleteAsync()
    {
        if (_writer is not null)
        {
            await _writer.FlushAsync().ConfigureAwait(false);
        }

        await inner.CompleteAsync().ConfigureAwait(false);
    }
}
