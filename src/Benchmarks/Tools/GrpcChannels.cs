using System.Net;
using Grpc.Net.Client;
using PaySim.Contracts.Issuer.V1;

namespace PaySim.Benchmarks.Tools;

/// <summary>
/// C channels, each with its own handler and so its own HTTP/2 connection; worker i uses
/// channel i mod C. The raw loop and the engine client build theirs here, so they compare
/// like with like.
/// </summary>
internal sealed class GrpcChannels : IDisposable
{
    private readonly GrpcChannel[] _channels;

    public GrpcChannels(Uri target, int connections)
    {
        _channels = new GrpcChannel[connections];
        Clients = new Issuer.IssuerClient[connections];
        for (var i = 0; i < connections; i++)
        {
            _channels[i] = GrpcChannel.ForAddress(target, new GrpcChannelOptions
            {
                HttpHandler = new SocketsHttpHandler
                {
                    // One connection per channel: the connection count is what --connections says.
                    EnableMultipleHttp2Connections = false,
                    AutomaticDecompression = DecompressionMethods.None,
                    UseProxy = false,
                },
            });
            Clients[i] = new Issuer.IssuerClient(_channels[i]);
        }
    }

    public Issuer.IssuerClient[] Clients { get; }

    public Issuer.IssuerClient For(long worker) => Clients[worker % Clients.Length];

    /// <summary>Opens every connection before the clock starts; a target that is not there fails in 10 s, not never.</summary>
    public async Task ConnectAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            foreach (var channel in _channels)
            {
                await channel.ConnectAsync(timeout.Token);
            }
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            throw new InvalidOperationException($"cannot connect to {_channels[0].Target} within 10 s");
        }
    }

    public void Dispose()
    {
        foreach (var channel in _channels)
        {
            channel.Dispose();
        }
    }
}
