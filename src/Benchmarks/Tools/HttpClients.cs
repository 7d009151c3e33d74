using System.Net;

namespace PaySim.Benchmarks.Tools;

/// <summary>One HttpClient over C pooled HTTP/1.1 connections, shared by the raw loop and the engine.</summary>
internal static class HttpClients
{
    public static HttpClient Create(int connections) => new(new SocketsHttpHandler
    {
        MaxConnectionsPerServer = connections,
        PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
        AutomaticDecompression = DecompressionMethods.None,
        UseProxy = false,
        UseCookies = false,
    })
    {
        DefaultRequestVersion = HttpVersion.Version11,
        Timeout = TimeSpan.FromSeconds(30),
    };
}
